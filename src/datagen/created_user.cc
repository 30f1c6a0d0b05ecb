#include "datagen/created_user.h"

#include "common/json_writer.h"

namespace runnel::datagen {

CreatedUser to_created_user(const RandomUser& user) {
  const auto& location = user.location;
  CreatedUser created;
  created.id = user.login.uuid;
  created.first_name = user.name.first;
  created.last_name = user.name.last;
  created.gender = gender_name(user.gender);
  created.address = std::to_string(location.street_number) + " " + location.street_name + ", " +
                    location.city + ", " + location.state + ", " + location.country;
  created.post_code = location.postcode.to_string();
  created.email = user.email;
  created.username = user.login.username;
  created.dob = user.dob.date;
  created.registered_date = user.registered.date;
  created.phone = user.phone;
  created.picture = user.picture.medium;
  return created;
}

std::string to_json(const CreatedUser& user) {
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  for (auto [key, value] : {std::pair{"id", &user.id},
                            {"first_name", &user.first_name},
                            {"last_name", &user.last_name},
                            {"gender", &user.gender},
                            {"address", &user.address},
                            {"post_code", &user.post_code},
                            {"email", &user.email},
                            {"username", &user.username},
                            {"dob", &user.dob},
                            {"registered_date", &user.registered_date},
                            {"phone", &user.phone},
                            {"picture", &user.picture}}) {
    json.key(key);
    json.string(*value);
  }
  json.end_object();
  json.flush();
  return out;
}

}  // namespace runnel::datagen
