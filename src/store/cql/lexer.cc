#include "store/cql/lexer.h"

#include <cctype>

namespace runnel::store::cql3 {
namespace {

bool is_identifier_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)); }

bool is_uuid_at(std::string_view text, std::size_t at) {
  if (text.size() - at < 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    char c = text[at + i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !is_hex(c)) return false;
  }
  return at + 36 == text.size() || !is_identifier_char(text[at + 36]);
}

std::string lowered(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> tokens;
    while (true) {
      if (auto status = skip_space_and_comments(); !status.is_ok()) return status;
      Token token;
      token.line = line_;
      token.column = static_cast<int>(pos_ - line_start_);
      if (pos_ >= text_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      if (auto status = next(token); !status.is_ok()) return status;
      tokens.push_back(std::move(token));
    }
  }

 private:
  Status error(std::string what) {
    return invalid_argument("line " + std::to_string(line_) + ":" +
                            std::to_string(pos_ - line_start_) + " " + what);
  }

  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }

  bool at(std::string_view prefix) const { return text_.substr(pos_).starts_with(prefix); }

  Status skip_space_and_comments() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_]))) {
        advance();
      } else if (at("--") || at("//")) {
        while (pos_ < text_.size() && text_[pos_] != '\n') advance();
      } else if (at("/*")) {
        pos_ += 2;
        while (pos_ < text_.size() && !at("*/")) advance();
        if (pos_ >= text_.size()) return error("unterminated comment");
        pos_ += 2;
      } else {
        break;
      }
    }
    return Status::ok();
  }

  Status next(Token& token) {
    char c = text_[pos_];
    std::size_t start = pos_;
    if (is_uuid_at(text_, pos_)) {
      token.kind = TokenKind::kUuid;
      token.text = std::string(text_.substr(pos_, 36));
      pos_ += 36;
      return Status::ok();
    }
    if (c == '0' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
      pos_ += 2;
      while (pos_ < text_.size() && is_hex(text_[pos_])) ++pos_;
      token.kind = TokenKind::kHex;
      token.text = std::string(text_.substr(start + 2, pos_ - start - 2));
      return Status::ok();
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      return number(token);
    }
    if (is_identifier_start(c)) {
      while (pos_ < text_.size() && is_identifier_char(text_[pos_])) ++pos_;
      token.kind = TokenKind::kIdentifier;
      token.text = std::string(text_.substr(start, pos_ - start));
      token.lower = lowered(token.text);
      return Status::ok();
    }
    if (c == '"') return quoted(token, '"', TokenKind::kQuotedIdentifier);
    if (c == '\'') return quoted(token, '\'', TokenKind::kString);
    if (at("$$")) {
      auto end = text_.find("$$", pos_ + 2);
      if (end == std::string_view::npos) return error("unterminated string");
      token.kind = TokenKind::kString;
      token.text = std::string(text_.substr(pos_ + 2, end - pos_ - 2));
      while (pos_ < end + 2) advance();
      return Status::ok();
    }
    for (std::string_view two : {"<=", ">=", "!="}) {
      if (at(two)) {
        token.kind = TokenKind::kPunctuation;
        token.text = std::string(two);
        pos_ += 2;
        return Status::ok();
      }
    }
    if (std::string_view("(),;.*=<>[]{}:?+-").find(c) != std::string_view::npos) {
      token.kind = TokenKind::kPunctuation;
      token.text = std::string(1, c);
      ++pos_;
      return Status::ok();
    }
    return error("no viable alternative at character '" + std::string(1, c) + "'");
  }

  Status number(Token& token) {
    std::size_t start = pos_;
    bool is_float = false;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.' && pos_ + 1 <= text_.size()) {
      is_float = true;
      ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t exponent = pos_ + 1;
      if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
      if (exponent < text_.size() && std::isdigit(static_cast<unsigned char>(text_[exponent]))) {
        is_float = true;
        pos_ = exponent;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      }
    }
    if (pos_ < text_.size() && is_identifier_char(text_[pos_])) {
      // A duration such as 12h or an identifier glued to digits: one word.
      while (pos_ < text_.size() && is_identifier_char(text_[pos_])) ++pos_;
      token.kind = TokenKind::kIdentifier;
      token.text = std::string(text_.substr(start, pos_ - start));
      token.lower = lowered(token.text);
      return Status::ok();
    }
    token.kind = is_float ? TokenKind::kFloat : TokenKind::kInteger;
    token.text = std::string(text_.substr(start, pos_ - start));
    return Status::ok();
  }

  Status quoted(Token& token, char quote, TokenKind kind) {
    advance();
    std::string value;
    while (true) {
      if (pos_ >= text_.size())
        return error("unterminated " +
                     std::string(kind == TokenKind::kString ? "string" : "quoted identifier"));
      char c = text_[pos_];
      advance();
      if (c == quote) {
        if (pos_ < text_.size() && text_[pos_] == quote) {
          value.push_back(quote);
          advance();
          continue;
        }
        break;
      }
      value.push_back(c);
    }
    token.kind = kind;
    token.text = std::move(value);
    return Status::ok();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view text) { return Lexer(text).run(); }

}  // namespace runnel::store::cql3
