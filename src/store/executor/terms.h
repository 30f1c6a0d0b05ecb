// Turns the terms of a statement (literals, bind markers, collection
// literals, now() and friends) into serialized values of the column they
// are assigned to or compared with, validating them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cql/data_type.h"
#include "store/cql/statement.h"
#include "store/session.h"

namespace runnel::store::executor {

// A term's value: serialized bytes, null, or unset (a bind marker sent as
// unset, meaning "leave as is").
struct TermValue {
  BoundValue::State state = BoundValue::State::kNull;
  std::string bytes;

  bool is_set() const { return state == BoundValue::State::kSet; }
};

// Throws RequestError (Invalid) for a literal of the wrong kind, a value
// that does not validate, or a missing bind value. `receiver` names the
// column in messages.
TermValue evaluate(const cql3::Term& term, const runnel::cql::DataType& type,
                   const std::string& receiver, const std::vector<BoundValue>& values);

// A microsecond clock that never goes backwards and never repeats, for
// write timestamps.
std::int64_t next_timestamp_micros();

}  // namespace runnel::store::executor
