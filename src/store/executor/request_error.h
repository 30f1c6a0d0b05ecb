// Inside the executor an invalid request is thrown as a RequestError and
// caught where the statement began (executor.cc), which answers it as the
// CqlError it carries; the code in between reads as the happy path.
#pragma once

#include <string>
#include <utility>

#include "store/session.h"

namespace runnel::store::executor {

struct RequestError {
  CqlError error;
};

[[noreturn]] inline void throw_invalid(std::string message) {
  throw RequestError{CqlError{runnel::cql::ErrorCode::kInvalid, std::move(message), {}, {}, {}}};
}

[[noreturn]] inline void throw_error(runnel::cql::ErrorCode code, std::string message) {
  throw RequestError{CqlError{code, std::move(message), {}, {}, {}}};
}

[[noreturn]] inline void throw_bind_count(std::size_t expected, std::size_t received) {
  throw_invalid("Invalid amount of bind variables: expected " + std::to_string(expected) +
                ", received " + std::to_string(received));
}

}  // namespace runnel::store::executor
