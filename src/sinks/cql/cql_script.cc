#include "sinks/cql/cql_script.h"

#include <cctype>

namespace runnel::sinks {
namespace {

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string trimmed(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

// Walks the script once, copying statement text and cutting at each `;`
// found outside quotes and comments.
class ScriptSplitter {
 public:
  explicit ScriptSplitter(std::string_view script) : script_(script) {}

  Result<std::vector<ScriptStatement>> split() {
    while (position_ < script_.size()) {
      char c = script_[position_];
      if (c == ';') {
        finish_statement();
        ++position_;
      } else if (c == '\'' || c == '"') {
        if (Status status = copy_quoted(c, c == '\'' ? "string" : "quoted identifier");
            !status.is_ok()) {
          return status;
        }
      } else if (starts_with("$$")) {
        if (Status status = copy_dollar_string(); !status.is_ok()) return status;
      } else if (starts_with("--") || starts_with("//")) {
        skip_to_line_end();
      } else if (starts_with("/*")) {
        if (Status status = skip_block_comment(); !status.is_ok()) return status;
      } else {
        take(c);
      }
    }
    finish_statement();
    return std::move(statements_);
  }

 private:
  bool starts_with(std::string_view prefix) const {
    return script_.substr(position_).starts_with(prefix);
  }

  // Copies one character, noting where a statement starts and counting lines.
  void take(char c) {
    if (is_blank(current_) && !std::isspace(static_cast<unsigned char>(c))) {
      current_.clear();
      current_line_ = line_;
    }
    current_ += c;
    if (c == '\n') ++line_;
    ++position_;
  }

  // A quote is closed by the same character; a doubled one is an escaped
  // quote inside.
  Status copy_quoted(char quote, std::string_view what) {
    int start_line = line_;
    take(quote);
    for (;;) {
      if (position_ >= script_.size()) return unterminated(what, start_line);
      char c = script_[position_];
      take(c);
      if (c != quote) continue;
      if (position_ < script_.size() && script_[position_] == quote) {
        take(quote);
        continue;
      }
      return Status::ok();
    }
  }

  Status copy_dollar_string() {
    int start_line = line_;
    take('$');
    take('$');
    while (!starts_with("$$")) {
      if (position_ >= script_.size()) return unterminated("$$ string", start_line);
      take(script_[position_]);
    }
    take('$');
    take('$');
    return Status::ok();
  }

  void skip_to_line_end() {
    while (position_ < script_.size() && script_[position_] != '\n') ++position_;
    current_ += ' ';
  }

  Status skip_block_comment() {
    int start_line = line_;
    position_ += 2;
    while (!starts_with("*/")) {
      if (position_ >= script_.size()) return unterminated("comment", start_line);
      if (script_[position_] == '\n') ++line_;
      ++position_;
    }
    position_ += 2;
    current_ += ' ';
    return Status::ok();
  }

  void finish_statement() {
    if (!is_blank(current_)) statements_.push_back({trimmed(current_), current_line_});
    current_.clear();
    current_line_ = line_;
  }

  static Status unterminated(std::string_view what, int line) {
    return invalid_argument("unterminated " + std::string(what) + " starting on line " +
                            std::to_string(line));
  }

  std::string_view script_;
  size_t position_ = 0;
  int line_ = 1;
  std::string current_;
  int current_line_ = 1;
  std::vector<ScriptStatement> statements_;
};

}  // namespace

Result<std::vector<ScriptStatement>> split_cql_script(std::string_view script) {
  return ScriptSplitter(script).split();
}

}  // namespace runnel::sinks
