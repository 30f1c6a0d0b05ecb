// Parses one CQL statement (an optional trailing semicolon allowed). Errors
// read like Cassandra's: "line 1:7 no viable alternative at input 'FROM'".
#pragma once

#include <string_view>

#include "common/status.h"
#include "store/cql/statement.h"

namespace runnel::store::cql3 {

Result<ParsedStatement> parse_statement(std::string_view text);

}  // namespace runnel::store::cql3
