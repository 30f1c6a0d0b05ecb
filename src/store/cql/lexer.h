// The tokens of CQL text: keywords and identifiers (unquoted ones compare
// case-insensitively), "quoted identifiers", 'strings' and $$strings$$,
// numbers, uuids, 0x blobs, punctuation. Comments (--, //, /* */) and
// whitespace are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace runnel::store::cql3 {

enum class TokenKind {
  kIdentifier,        // unquoted: text is as written; lower is lower-cased
  kQuotedIdentifier,  // "Name": text is the name, case kept
  kString,            // text is the unquoted value
  kInteger,           // text as written, without a sign
  kFloat,
  kUuid,
  kHex,          // text is the hex digits after 0x
  kPunctuation,  // text is one of ( ) , ; . * = < > <= >= != [ ] { } : ? + -
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  std::string lower;  // identifiers: text in lower case
  int line = 1;
  int column = 0;  // 0-based, as Cassandra's messages count
};

// The tokens, ending with one kEnd; a syntax error message for a character
// no token starts with or an unterminated string or comment.
Result<std::vector<Token>> tokenize(std::string_view text);

}  // namespace runnel::store::cql3
