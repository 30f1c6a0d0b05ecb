// The shape of a randomuser user, described once: visit_user walks a user's
// included fields in randomuser's order, and every output format (JSON, CSV,
// YAML, XML) is a visitor of that walk.
#pragma once

#include <cstdint>
#include <string_view>

#include "datagen/random_user.h"

namespace runnel::datagen {

class UserVisitor {
 public:
  virtual ~UserVisitor() = default;
  virtual void begin_object(std::string_view key) = 0;
  virtual void end_object() = 0;
  virtual void text(std::string_view key, std::string_view value) = 0;
  virtual void number(std::string_view key, std::int64_t value) = 0;
  virtual void null(std::string_view key) = 0;
};

void visit_user(const RandomUser& user, FieldSet fields, UserVisitor& visitor);

}  // namespace runnel::datagen
