// The Kafka wire format's primitive types: big-endian integers, varints,
// strings, byte arrays, arrays and UUIDs, in their classic and compact
// (flexible-version) forms. Messages are built from these by schema.h.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace runnel::broker {

// Kafka's "bytes": opaque, not text. A distinct type so that the schema
// knows to write it as bytes rather than as a string.
struct Bytes {
  std::string value;
  bool operator==(const Bytes&) const = default;
};

using Uuid = std::array<uint8_t, 16>;

// Reads primitives from a buffer it does not own. A read past the end, or a
// length that cannot be right, puts the reader in a failed state: every later
// read returns a zero value and ok() is false. Callers check ok() once at the
// end instead of after every field.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return !failed_; }
  // Why the reader failed; empty while ok().
  std::string_view error() const { return error_; }
  size_t remaining() const { return bytes_.size() - position_; }
  size_t position() const { return position_; }

  int8_t read_int8();
  int16_t read_int16();
  int32_t read_int32();
  int64_t read_int64();
  uint16_t read_uint16();
  uint32_t read_uint32();
  double read_float64();
  bool read_bool() { return read_int8() != 0; }
  uint32_t read_unsigned_varint();
  int32_t read_varint();
  int64_t read_varlong();
  Uuid read_uuid();

  // Length-prefixed values; compact forms use an unsigned varint of length+1
  // (0 meaning null), classic forms an int16 (strings) or int32 (bytes).
  std::optional<std::string> read_string(bool compact);
  std::optional<std::string> read_bytes(bool compact);
  // The element count of an array, or nullopt for a null array.
  std::optional<size_t> read_array_length(bool compact);
  // Skips the tagged fields that end every struct in flexible versions.
  void skip_tagged_fields();

  // A view of the next n bytes, consumed.
  std::string_view read_raw(size_t n);
  void fail(std::string_view why);

 private:
  bool take(size_t n);

  std::string_view bytes_;
  size_t position_ = 0;
  bool failed_ = false;
  std::string error_;
};

// Appends primitives to a string it does not own.
class WireWriter {
 public:
  explicit WireWriter(std::string& out) : out_(out) {}

  void write_int8(int8_t v) { out_.push_back(static_cast<char>(v)); }
  void write_int16(int16_t v);
  void write_int32(int32_t v);
  void write_int64(int64_t v);
  void write_uint16(uint16_t v) { write_int16(static_cast<int16_t>(v)); }
  void write_uint32(uint32_t v) { write_int32(static_cast<int32_t>(v)); }
  void write_float64(double v);
  void write_bool(bool v) { write_int8(v ? 1 : 0); }
  void write_unsigned_varint(uint32_t v);
  void write_varint(int32_t v);
  void write_varlong(int64_t v);
  void write_uuid(const Uuid& v) { out_.append(reinterpret_cast<const char*>(v.data()), v.size()); }

  void write_string(std::optional<std::string_view> v, bool compact);
  void write_bytes(std::optional<std::string_view> v, bool compact);
  // nullopt writes a null array.
  void write_array_length(std::optional<size_t> n, bool compact);
  // An empty tagged-field section.
  void write_empty_tagged_fields() { write_unsigned_varint(0); }
  void write_raw(std::string_view bytes) { out_.append(bytes); }

  std::string& buffer() { return out_; }

 private:
  std::string& out_;
};

}  // namespace runnel::broker
