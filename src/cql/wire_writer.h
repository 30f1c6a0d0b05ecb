// Writes the primitives of the CQL native protocol (doc/native_protocol_v4.spec,
// section 3), the counterpart of wire_reader.h: the server writes responses
// with it and the client requests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cql/codes.h"
#include "cql/data_type.h"
#include "cql/wire_reader.h"

namespace runnel::cql {

// Appends to a string it does not own.
class WireWriter {
 public:
  explicit WireWriter(std::string& out) : out_(out) {}

  void write_byte(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void write_short(std::uint16_t v);
  void write_int(std::int32_t v);
  void write_long(std::int64_t v);
  // A [string] holds at most 65535 bytes: longer text (only ever an error
  // message) is cut at the last UTF-8 character boundary that fits.
  void write_string(std::string_view v);
  void write_long_string(std::string_view v);
  // REQUIRES: v.size() == 16
  void write_uuid(std::string_view v) { out_.append(v); }
  // REQUIRES: at most 65535 strings
  void write_string_list(const std::vector<std::string>& list);
  // nullopt writes null (length -1).
  void write_bytes(std::optional<std::string_view> v);
  void write_value(const WireValue& v);
  // REQUIRES: v.size() <= 65535
  void write_short_bytes(std::string_view v);
  // REQUIRES: `type` is not a UDT.
  void write_option(const DataType& type);
  // REQUIRES: inet.address has 4 or 16 bytes.
  void write_inet(const Inet& inet);
  void write_consistency(Consistency c) { write_short(static_cast<std::uint16_t>(c)); }
  void write_string_map(const std::map<std::string, std::string>& map);
  void write_string_multimap(const std::map<std::string, std::vector<std::string>>& map);
  void write_bytes_map(const std::map<std::string, std::optional<std::string>>& map);
  void write_raw(std::string_view bytes) { out_.append(bytes); }

  std::string& buffer() { return out_; }

 private:
  std::string& out_;
};

}  // namespace runnel::cql
