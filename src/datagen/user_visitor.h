// The shape of a randomuser user, described once: visit_user walks a user's
// included fields in randomuser's order, and every output format (JSON, CSV,
// YAML, XML) is a visitor of that walk.
//
// visit_user is a template over the visitor, defined here, so that each
// format's calls are direct and inline into its own copy of the walk.
#pragma once

#include <concepts>
#include <cstdint>
#include <string_view>
#include <tuple>

#include "datagen/random_user.h"

namespace runnel::datagen {

// What visit_user calls: objects nest (begin_object and end_object pair up),
// and every value comes with its key. Keys are string literals.
template <typename V>
concept UserVisitor = requires(V& visitor, std::string_view key, std::int64_t number) {
  visitor.begin_object(key);
  visitor.end_object();
  visitor.text(key, key);
  visitor.number(key, number);
  visitor.null(key);
};

template <UserVisitor Visitor>
void visit_user(const RandomUser& user, FieldSet fields, Visitor& v) {
  if (fields.has(Field::kGender)) v.text("gender", gender_name(user.gender));
  if (fields.has(Field::kName)) {
    v.begin_object("name");
    v.text("title", user.name.title);
    v.text("first", user.name.first);
    v.text("last", user.name.last);
    v.end_object();
  }
  if (fields.has(Field::kLocation)) {
    const auto& location = user.location;
    v.begin_object("location");
    v.begin_object("street");
    v.number("number", location.street_number);
    v.text("name", location.street_name);
    v.end_object();
    v.text("city", location.city);
    v.text("state", location.state);
    v.text("country", location.country);
    if (location.postcode.number) {
      v.number("postcode", *location.postcode.number);
    } else {
      v.text("postcode", location.postcode.text);
    }
    v.begin_object("coordinates");
    v.text("latitude", location.latitude);
    v.text("longitude", location.longitude);
    v.end_object();
    v.begin_object("timezone");
    v.text("offset", location.timezone_offset);
    v.text("description", location.timezone_description);
    v.end_object();
    v.end_object();
  }
  if (fields.has(Field::kEmail)) v.text("email", user.email);
  if (fields.has(Field::kLogin)) {
    const auto& login = user.login;
    v.begin_object("login");
    v.text("uuid", login.uuid);
    v.text("username", login.username);
    v.text("password", login.password);
    v.text("salt", login.salt);
    v.text("md5", login.md5);
    v.text("sha1", login.sha1);
    v.text("sha256", login.sha256);
    v.end_object();
  }
  for (auto [field, key, dated] :
       {std::tuple{Field::kDob, "dob", &user.dob},
        std::tuple{Field::kRegistered, "registered", &user.registered}}) {
    if (!fields.has(field)) continue;
    v.begin_object(key);
    v.text("date", dated->date);
    v.number("age", dated->age);
    v.end_object();
  }
  if (fields.has(Field::kPhone)) v.text("phone", user.phone);
  if (fields.has(Field::kCell)) v.text("cell", user.cell);
  if (fields.has(Field::kId)) {
    v.begin_object("id");
    v.text("name", user.id.name);
    if (user.id.value) {
      v.text("value", *user.id.value);
    } else {
      v.null("value");
    }
    v.end_object();
  }
  if (fields.has(Field::kPicture)) {
    v.begin_object("picture");
    v.text("large", user.picture.large);
    v.text("medium", user.picture.medium);
    v.text("thumbnail", user.picture.thumbnail);
    v.end_object();
  }
  if (fields.has(Field::kNat)) v.text("nat", user.nat);
}

}  // namespace runnel::datagen
