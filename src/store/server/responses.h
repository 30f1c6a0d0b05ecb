// The bodies of the responses the CQL server sends (native protocol v4,
// section 4.2), encoded from the store's answers (session.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/session.h"

namespace runnel::store::server {

// ERROR with the extra fields the spec gives the code (section 9); codes
// whose extras the store cannot know (timeouts, failures) carry neutral
// values that drivers can read.
std::string error_body(const CqlError& error);
std::string protocol_error_body(std::string_view message);

// AUTHENTICATE: the authenticator's class name.
std::string authenticate_body(std::string_view authenticator);
// SUPPORTED: the STARTUP options and their values.
std::string supported_body(const std::map<std::string, std::vector<std::string>>& options);
// AUTH_SUCCESS: a null token.
std::string auth_success_body();

// RESULT for an outcome (Void, Rows, Set_keyspace, Schema_change), or ERROR
// for a CqlError (then *is_error is set). skip_metadata: the request asked
// for Rows without column metadata.
std::string outcome_body(const Outcome& outcome, bool skip_metadata, bool* is_error);
// RESULT of kind Prepared. v3 has no partition key indexes.
std::string prepared_body(const Prepared& prepared, int version);
// EVENT SCHEMA_CHANGE.
std::string schema_change_event_body(const SchemaChange& change);

}  // namespace runnel::store::server
