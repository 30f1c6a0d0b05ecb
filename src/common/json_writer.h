// A streaming JSON writer. Output is what JavaScript's JSON.stringify
// produces: compact, or with two-space indentation when pretty. Parsing JSON
// is simdjson's job, not this file's.
//
// Text is built in the writer's own buffer, whose appends the compiler can
// inline (std::string's are calls into libstdc++), and appended to the
// caller's string by flush() and by the destructor. The common paths (keys,
// numbers, brackets, the step before each value) are defined here so that
// they inline into the caller.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace runnel {

class JsonWriter {
 public:
  // `out` must outlive the writer; text reaches it on flush() and when the
  // writer is destroyed.
  explicit JsonWriter(std::string& out, bool pretty = false) : out_(out), pretty_(pretty) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Appends everything written so far to `out`.
  void flush();

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // REQUIRES: inside an object, and the previous call was not key().
  void key(std::string_view name);
  // key() for names known to need no escaping, such as literals.
  // REQUIRES: no '"', '\\' or control character in `name`. Always inlined:
  // for a literal name, the copy then compiles to a few stores.
  [[gnu::always_inline]] void trusted_key(std::string_view name) {
    before_value();
    char* to = reserve(name.size() + 4);
    *to++ = '"';
    std::memcpy(to, name.data(), name.size());
    to += name.size();
    *to++ = '"';
    *to++ = ':';
    if (pretty_) *to++ = ' ';
    size_ = static_cast<std::size_t>(to - buffer_.get());
    after_key_ = true;
  }

  void string(std::string_view value);
  void number(std::int64_t value) {
    before_value();
    char* to = reserve(kInt64Digits);
    size_ =
        static_cast<std::size_t>(std::to_chars(to, to + kInt64Digits, value).ptr - buffer_.get());
  }
  // The shortest text that reads back as `value`; NaN and infinities as null.
  void real(double value);
  void boolean(bool value);
  void null();

 private:
  void put(std::string_view text) {
    if (size_ + text.size() > capacity_) grow(text.size());
    std::memcpy(buffer_.get() + size_, text.data(), text.size());
    size_ += text.size();
  }
  // Room for `bytes` more, plus kSlack bytes the hot paths may scribble on.
  char* reserve(std::size_t bytes) {
    if (size_ + bytes + kSlack > capacity_) grow(bytes + kSlack);
    return buffer_.get() + size_;
  }
  static constexpr std::size_t kSlack = 16;
  static constexpr std::size_t kInt64Digits = 20;  // "-9223372036854775808"
  void put(char c) {
    if (size_ == capacity_) grow(1);
    buffer_[size_++] = c;
  }
  // Rare, as the buffer is kept: cold, so that the paths calling it stay small.
  [[gnu::cold]] void grow(std::size_t more);
  void put_escaped(std::string_view text);
  void open(char bracket) {
    before_value();
    put(bracket);
    levels_.push_back(true);
  }
  void close(char bracket) {
    const bool was_empty = levels_.back();
    levels_.pop_back();
    if (pretty_ && !was_empty) newline_and_indent();
    put(bracket);
  }
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (levels_.empty()) return;
    char& empty = levels_.back();
    if (!empty) put(',');
    empty = false;
    if (pretty_) newline_and_indent();
  }
  void newline_and_indent();

  std::string& out_;
  std::unique_ptr<char[]> buffer_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  bool pretty_;
  bool after_key_ = false;
  std::vector<char> levels_;  // per open object or array: has it no element yet?
};

}  // namespace runnel
