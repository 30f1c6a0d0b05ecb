// Big-endian fixed-width integers, varints (7 bits a byte, least
// significant first) and length-prefixed strings: the format of stored row
// records, partition headers and schema records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace runnel::store::storage {

class Writer {
 public:
  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void i64(std::int64_t value) {
    char bytes[8];
    for (int i = 0; i < 8; ++i)
      bytes[i] = static_cast<char>(static_cast<std::uint64_t>(value) >> (8 * (7 - i)));
    out_.append(bytes, 8);
  }
  void i32(std::int32_t value) {
    char bytes[4];
    for (int i = 0; i < 4; ++i)
      bytes[i] = static_cast<char>(static_cast<std::uint32_t>(value) >> (8 * (3 - i)));
    out_.append(bytes, 4);
  }
  void bytes(std::string_view value) {
    i32(static_cast<std::int32_t>(value.size()));
    out_.append(value);
  }
  void varint(std::uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }
  // A string after its length as a varint.
  void short_bytes(std::string_view value) {
    varint(value.size());
    out_.append(value);
  }
  // Room for `size` more bytes, so a record whose size is known up front
  // is written without growing the buffer.
  void reserve(std::size_t size) { out_.reserve(out_.size() + size); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    auto value = static_cast<std::uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return value;
  }
  std::int64_t i64() {
    if (!need(8)) return 0;
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(in_[i]);
    in_.remove_prefix(8);
    return static_cast<std::int64_t>(value);
  }
  std::int32_t i32() {
    if (!need(4)) return 0;
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(in_[i]);
    in_.remove_prefix(4);
    return static_cast<std::int32_t>(value);
  }
  std::string bytes() {
    std::int32_t length = i32();
    if (length < 0) {
      ok_ = false;
      return {};
    }
    return take(static_cast<std::size_t>(length));
  }
  // At most 10 bytes; a longer one fails the reader.
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      std::uint8_t byte = u8();
      if (!ok_) return 0;
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;
    return 0;
  }
  std::string short_bytes() { return take(varint()); }

 private:
  bool need(std::size_t count) {
    if (in_.size() < count) ok_ = false;
    return ok_;
  }
  // The next `length` bytes; none, and the reader failed, when fewer are left.
  std::string take(std::size_t length) {
    if (!need(length)) return {};
    std::string value(in_.substr(0, length));
    in_.remove_prefix(length);
    return value;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace runnel::store::storage
