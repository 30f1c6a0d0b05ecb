#include "common/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace runnel {
namespace {

// Characters that JSON.stringify escapes: '"', '\\' and controls below 0x20.
bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Whether any of the eight bytes in `word` needs escaping (bit tricks from
// "Bit Twiddling Hacks": a byte below n, a byte equal to c).
bool word_needs_escape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = ~0ULL / 255;
  constexpr std::uint64_t kHighBits = kOnes * 128;
  auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighBits; };
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  return (below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

// Sixteen bytes as one vector (GCC's and Clang's vector extensions: SSE2 on
// x86-64, NEON on ARM).
using Bytes16 = unsigned char __attribute__((vector_size(16)));

// Whether any of the sixteen bytes at `bytes` needs escaping.
bool block_needs_escape(const char* bytes) {
  Bytes16 block;
  std::memcpy(&block, bytes, sizeof block);
  const auto escape = (block < 0x20) | (block == '"') | (block == '\\');
  std::uint64_t halves[2];
  std::memcpy(halves, &escape, sizeof halves);
  return (halves[0] | halves[1]) != 0;
}

// Whether `text` has nothing to escape, eight bytes at a time.
bool is_clean(std::string_view text) {
  std::uint64_t word;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::memcpy(&word, text.data() + i, 8);
    if (word_needs_escape(word)) return false;
  }
  if (i == text.size()) return true;
  if (text.size() >= 8) {  // the tail, as the last eight bytes
    std::memcpy(&word, text.data() + text.size() - 8, 8);
    return !word_needs_escape(word);
  }
  for (char c : text) {  // a short text
    if (needs_escape(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

void JsonWriter::put_escaped(std::string_view text) {
  if (is_clean(text)) {
    put(text);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needs_escape(c)) continue;
    put(text.substr(run_start, i - run_start));
    run_start = i + 1;
    switch (c) {
      case '"': put("\\\""); break;
      case '\\': put("\\\\"); break;
      case '\b': put("\\b"); break;
      case '\f': put("\\f"); break;
      case '\n': put("\\n"); break;
      case '\r': put("\\r"); break;
      case '\t': put("\\t"); break;
      default: {
        const char unicode[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        put(std::string_view(unicode, sizeof unicode));
      }
    }
  }
  put(text.substr(run_start));
}

void JsonWriter::grow(std::size_t more) {
  const std::size_t capacity = std::max<std::size_t>({1024, capacity_ * 2, size_ + more});
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ > 0) std::memcpy(bigger.get(), buffer_.get(), size_);
  buffer_ = std::move(bigger);
  capacity_ = capacity;
}

void JsonWriter::flush() {
  if (size_ == 0) return;
  out_.append(buffer_.get(), size_);
  size_ = 0;
}

void JsonWriter::newline_and_indent() {
  put('\n');
  for (std::size_t i = 0; i < levels_.size(); ++i) put("  ");
}

void JsonWriter::key(std::string_view name) {
  before_value();
  put('"');
  put_escaped(name);
  put(pretty_ ? "\": " : "\":");
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  before_value();
  // Copy first, then check the copy sixteen bytes at a time; the bytes after
  // it (slack) are set to a letter that never needs escaping.
  static_assert(kSlack >= 16);
  char* to = reserve(value.size() + 2);
  to[0] = '"';
  std::memcpy(to + 1, value.data(), value.size());
  std::memset(to + 1 + value.size(), 'a', 16);
  bool clean = true;
  for (std::size_t i = 0; i < value.size() && clean; i += 16) {
    clean = !block_needs_escape(to + 1 + i);
  }
  if (clean) {
    to[1 + value.size()] = '"';
    size_ += value.size() + 2;
    return;
  }
  put('"');
  put_escaped(value);
  put('"');
}

void JsonWriter::real(double value) {
  if (!std::isfinite(value)) {
    null();  // as JSON.stringify writes NaN and the infinities
    return;
  }
  before_value();
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  put(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

void JsonWriter::boolean(bool value) {
  before_value();
  put(value ? "true" : "false");
}

void JsonWriter::null() {
  before_value();
  put("null");
}

}  // namespace runnel
