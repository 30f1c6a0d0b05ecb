// A streaming JSON writer that appends to a caller-owned string. Output is
// what JavaScript's JSON.stringify produces: compact, or with two-space
// indentation when pretty. Parsing JSON is simdjson's job, not this file's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace runnel {

class JsonWriter {
 public:
  // `out` must outlive the writer; text is appended to it.
  explicit JsonWriter(std::string& out, bool pretty = false) : out_(out), pretty_(pretty) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // REQUIRES: inside an object, and the previous call was not key().
  void key(std::string_view name);

  void string(std::string_view value);
  void number(std::int64_t value);
  void boolean(bool value);
  void null();

  // Appends `text` JSON-escaped, without quotes.
  static void append_escaped(std::string& out, std::string_view text);

 private:
  struct Level {
    bool empty = true;
  };
  void open(char bracket);
  void close(char bracket);
  void before_value();
  void newline_and_indent();

  std::string& out_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<Level> levels_;
};

}  // namespace runnel
