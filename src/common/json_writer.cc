#include "common/json_writer.h"

#include <charconv>
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

}  // namespace

void JsonWriter::append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t run_start = 0;
  std::size_t i = 0;
  // Skip clean eight-byte blocks; most text has nothing to escape.
  while (i + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (word_needs_escape(word)) break;
    i += 8;
  }
  if (i + 8 > text.size() && text.size() >= 8) {
    // The tail, checked as the last eight bytes (overlapping checked ones).
    std::uint64_t word;
    std::memcpy(&word, text.data() + text.size() - 8, 8);
    if (!word_needs_escape(word)) i = text.size();
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needs_escape(c)) continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
}

void JsonWriter::newline_and_indent() {
  out_ += '\n';
  out_.append(levels_.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  if (!levels_.back().empty) out_ += ',';
  levels_.back().empty = false;
  if (pretty_) newline_and_indent();
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  levels_.push_back({});
}

void JsonWriter::close(char bracket) {
  const bool was_empty = levels_.back().empty;
  levels_.pop_back();
  if (pretty_ && !was_empty) newline_and_indent();
  out_ += bracket;
}

void JsonWriter::key(std::string_view name) {
  before_value();
  out_ += '"';
  append_escaped(out_, name);
  out_ += pretty_ ? "\": " : "\":";
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  before_value();
  out_ += '"';
  append_escaped(out_, value);
  out_ += '"';
}

void JsonWriter::number(std::int64_t value) {
  before_value();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

}  // namespace runnel
