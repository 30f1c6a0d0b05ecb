// Reads the primitives of the CQL native protocol (doc/native_protocol_v4.spec,
// section 3) from a frame body: [int], [long], [short], [string],
// [long string], [uuid], [string list], [bytes], [value], [short bytes],
// [option], [inet], [consistency], [string map], [string multimap] and
// [bytes map]. Used by the server for requests and by the client for
// responses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "cql/codes.h"
#include "cql/data_type.h"

namespace runnel::cql {

// A [value]: serialized bytes, null (length -1) or not set (length -2).
struct WireValue {
  enum class State { kSet, kNull, kUnset };
  State state = State::kNull;
  std::string bytes;  // when kSet

  friend bool operator==(const WireValue&, const WireValue&) = default;
};

// An [inet]: the 4 or 16 bytes of an IPv4 or IPv6 address, and a port.
struct Inet {
  std::string address;
  std::int32_t port = 0;

  friend bool operator==(const Inet&, const Inet&) = default;
};

// Reads from a buffer it does not own. It never reads past the end: a read
// that would, or a value the spec does not allow (a negative length, an
// unknown consistency or type id), puts the reader in a failed state in
// which every later read returns an empty value. Callers read a whole
// message and check ok() once; error() then says what was wrong and where.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}
  // The reader would outlive a temporary buffer.
  explicit WireReader(std::string&&) = delete;

  bool ok() const { return !failed_; }
  // Why the reader failed, naming the offset; empty while ok().
  const std::string& error() const { return error_; }
  // ok(), or invalid_argument carrying error().
  Status status() const;
  std::size_t position() const { return position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }

  std::uint8_t read_byte();
  std::uint16_t read_short();
  std::int32_t read_int();
  std::int64_t read_long();
  std::string read_string();
  std::string read_long_string();
  std::string read_uuid();  // the 16 bytes
  std::vector<std::string> read_string_list();
  // A negative length is null.
  std::optional<std::string> read_bytes();
  // Lengths below -2 fail the reader.
  WireValue read_value();
  std::string read_short_bytes();
  // Native types, custom, list, set, map and tuple, nested up to 16 deep;
  // a UDT fails the reader (the store has none).
  DataType read_option();
  Inet read_inet();
  Consistency read_consistency();
  std::map<std::string, std::string> read_string_map();
  std::map<std::string, std::vector<std::string>> read_string_multimap();
  std::map<std::string, std::optional<std::string>> read_bytes_map();

  // The next n bytes, consumed.
  std::string_view read_raw(std::size_t n);
  // Puts the reader in the failed state; the first reason is kept.
  void fail(std::string_view why);

 private:
  bool take(std::size_t n);
  DataType read_option_at_depth(int depth);

  std::string_view bytes_;
  std::size_t position_ = 0;
  bool failed_ = false;
  std::string error_;
};

}  // namespace runnel::cql
