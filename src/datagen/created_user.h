// A created user: the record the pipeline carries from the random-user source
// to Kafka and the stores (the classic project's format_data, with its
// missing dob column). The id is the user's login.uuid, so a user fetched or
// generated twice is the same row, not a duplicate.
#pragma once

#include <string>

#include "datagen/random_user.h"

namespace runnel::datagen {

struct CreatedUser {
  std::string id;  // uuid
  std::string first_name;
  std::string last_name;
  std::string gender;
  std::string address;  // "{number} {street}, {city}, {state}, {country}"
  std::string post_code;
  std::string email;
  std::string username;
  std::string dob;              // ISO 8601
  std::string registered_date;  // ISO 8601
  std::string phone;
  std::string picture;  // the medium picture URL

  bool operator==(const CreatedUser&) const = default;
};

CreatedUser to_created_user(const RandomUser& user);

// The JSON value produced to Kafka: one flat object with the fields above.
std::string to_json(const CreatedUser& user);

}  // namespace runnel::datagen
