#include "broker/protocol/wire.h"

#include <bit>
#include <cstring>
#include <limits>

namespace runnel::broker {
namespace {

template <typename T>
T byteswap(T v) {
  if constexpr (sizeof(T) == 2) return static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
  if constexpr (sizeof(T) == 4) return static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
  if constexpr (sizeof(T) == 8) return static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
}

template <typename T>
T load_big_endian(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = byteswap(v);
  return v;
}

template <typename T>
void append_big_endian(std::string& out, T v) {
  if constexpr (std::endian::native == std::endian::little) v = byteswap(v);
  char bytes[sizeof v];
  std::memcpy(bytes, &v, sizeof v);
  out.append(bytes, sizeof v);
}

}  // namespace

void WireReader::fail(std::string_view why) {
  if (failed_) return;
  failed_ = true;
  error_ = std::string(why);
  position_ = bytes_.size();
}

bool WireReader::take(size_t n) {
  if (failed_) return false;
  if (n > remaining()) {
    fail("truncated: needed " + std::to_string(n) + " more bytes at offset " +
         std::to_string(position_) + ", have " + std::to_string(remaining()));
    return false;
  }
  return true;
}

int8_t WireReader::read_int8() {
  if (!take(1)) return 0;
  return static_cast<int8_t>(bytes_[position_++]);
}

#define RUNNEL_READ_FIXED(name, type)                          \
  type WireReader::name() {                                    \
    if (!take(sizeof(type))) return 0;                         \
    type v = load_big_endian<type>(bytes_.data() + position_); \
    position_ += sizeof(type);                                 \
    return v;                                                  \
  }
RUNNEL_READ_FIXED(read_int16, int16_t)
RUNNEL_READ_FIXED(read_int32, int32_t)
RUNNEL_READ_FIXED(read_int64, int64_t)
RUNNEL_READ_FIXED(read_uint16, uint16_t)
RUNNEL_READ_FIXED(read_uint32, uint32_t)
#undef RUNNEL_READ_FIXED

double WireReader::read_float64() {
  return std::bit_cast<double>(static_cast<uint64_t>(read_int64()));
}

uint32_t WireReader::read_unsigned_varint() {
  uint32_t value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (!take(1)) return 0;
    auto byte = static_cast<uint8_t>(bytes_[position_++]);
    value |= static_cast<uint32_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  fail("varint longer than 5 bytes");
  return 0;
}

int32_t WireReader::read_varint() {
  uint32_t raw = read_unsigned_varint();
  return static_cast<int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

int64_t WireReader::read_varlong() {
  uint64_t raw = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (!take(1)) return 0;
    auto byte = static_cast<uint8_t>(bytes_[position_++]);
    raw |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  }
  fail("varlong longer than 10 bytes");
  return 0;
}

Uuid WireReader::read_uuid() {
  Uuid id{};
  if (!take(id.size())) return id;
  std::memcpy(id.data(), bytes_.data() + position_, id.size());
  position_ += id.size();
  return id;
}

std::string_view WireReader::read_raw(size_t n) {
  if (!take(n)) return {};
  std::string_view v = bytes_.substr(position_, n);
  position_ += n;
  return v;
}

std::optional<std::string> WireReader::read_string(bool compact) {
  int64_t length = compact ? static_cast<int64_t>(read_unsigned_varint()) - 1 : read_int16();
  if (!ok() || length < 0) {
    if (length < -1) fail("negative string length");
    return std::nullopt;
  }
  return std::string(read_raw(static_cast<size_t>(length)));
}

std::optional<std::string> WireReader::read_bytes(bool compact) {
  int64_t length = compact ? static_cast<int64_t>(read_unsigned_varint()) - 1 : read_int32();
  if (!ok() || length < 0) {
    if (length < -1) fail("negative bytes length");
    return std::nullopt;
  }
  return std::string(read_raw(static_cast<size_t>(length)));
}

std::optional<size_t> WireReader::read_array_length(bool compact) {
  int64_t length = compact ? static_cast<int64_t>(read_unsigned_varint()) - 1 : read_int32();
  if (!ok() || length < 0) {
    if (length < -1) fail("negative array length");
    return std::nullopt;
  }
  // Every element takes at least one byte, so a count larger than what is
  // left is a lie; refusing it keeps a hostile length from allocating.
  if (static_cast<size_t>(length) > remaining()) {
    fail("array length " + std::to_string(length) + " exceeds the remaining " +
         std::to_string(remaining()) + " bytes");
    return std::nullopt;
  }
  return static_cast<size_t>(length);
}

void WireReader::skip_tagged_fields() {
  uint32_t count = read_unsigned_varint();
  for (uint32_t i = 0; i < count && ok(); ++i) {
    read_unsigned_varint();  // tag
    uint32_t size = read_unsigned_varint();
    read_raw(size);
  }
}

void WireWriter::write_int16(int16_t v) { append_big_endian(out_, v); }
void WireWriter::write_int32(int32_t v) { append_big_endian(out_, v); }
void WireWriter::write_int64(int64_t v) { append_big_endian(out_, v); }
void WireWriter::write_float64(double v) { write_int64(std::bit_cast<int64_t>(v)); }

void WireWriter::write_unsigned_varint(uint32_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void WireWriter::write_varint(int32_t v) {
  write_unsigned_varint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
}

void WireWriter::write_varlong(int64_t v) {
  uint64_t raw = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (raw >= 0x80) {
    out_.push_back(static_cast<char>((raw & 0x7f) | 0x80));
    raw >>= 7;
  }
  out_.push_back(static_cast<char>(raw));
}

void WireWriter::write_string(std::optional<std::string_view> v, bool compact) {
  if (compact) {
    write_unsigned_varint(v ? static_cast<uint32_t>(v->size() + 1) : 0);
  } else {
    write_int16(v ? static_cast<int16_t>(v->size()) : int16_t{-1});
  }
  if (v) out_.append(*v);
}

void WireWriter::write_bytes(std::optional<std::string_view> v, bool compact) {
  if (compact) {
    write_unsigned_varint(v ? static_cast<uint32_t>(v->size() + 1) : 0);
  } else {
    write_int32(v ? static_cast<int32_t>(v->size()) : -1);
  }
  if (v) out_.append(*v);
}

void WireWriter::write_array_length(std::optional<size_t> n, bool compact) {
  if (compact) {
    write_unsigned_varint(n ? static_cast<uint32_t>(*n + 1) : 0);
  } else {
    write_int32(n ? static_cast<int32_t>(*n) : -1);
  }
}

}  // namespace runnel::broker
