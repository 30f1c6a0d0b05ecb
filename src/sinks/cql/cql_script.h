// A CQL script, as `runnel cql` reads it from -e, a file or stdin: statements
// separated by `;`. A `;` inside a string ('it''s'), a quoted identifier
// ("a;b"), a $$-string or a comment (-- and // to the end of the line,
// /* ... */) does not end a statement.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace runnel::sinks {

struct ScriptStatement {
  std::string text;  // comments replaced by a space, trimmed, without the `;`
  int line = 1;      // where the statement starts in the script
};

// The script's statements in order; empty ones (only spaces and comments)
// are skipped, and the last may lack its `;`. An unterminated string,
// identifier or comment is an invalid_argument naming the line it starts on.
Result<std::vector<ScriptStatement>> split_cql_script(std::string_view script);

}  // namespace runnel::sinks
