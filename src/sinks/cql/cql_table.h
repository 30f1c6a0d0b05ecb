// Rows printed as cqlsh prints them: a blank line, the column names
// (left-aligned), a separator, the values (right-aligned, formatted as
// cqlsh formats them, "null" for null), a blank line and "(N rows)".
#pragma once

#include <string>

#include "store/session.h"

namespace runnel::sinks {

std::string format_rows_table(const store::Rows& rows);

}  // namespace runnel::sinks
