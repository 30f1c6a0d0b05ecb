// A user as randomuser.me API 1.4 describes one: the record the generator
// makes, the HTTP client parses, and every output format writes. Plain values
// only, so a user parsed from any randomuser-compatible service is the same
// type as one generated here.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace runnel::datagen {

enum class Gender { kMale, kFemale };
std::string_view gender_name(Gender gender);  // "male" or "female"

// The twelve top-level fields of a user, in the order randomuser writes them.
enum class Field {
  kGender,
  kName,
  kLocation,
  kEmail,
  kLogin,
  kDob,
  kRegistered,
  kPhone,
  kCell,
  kId,
  kPicture,
  kNat,
};
inline constexpr std::size_t kFieldCount = 12;
inline constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "gender",     "name",  "location", "email", "login",   "dob",
    "registered", "phone", "cell",     "id",    "picture", "nat"};

// Which fields a response includes (the API's inc and exc parameters).
class FieldSet {
 public:
  static FieldSet all() { return FieldSet(std::bitset<kFieldCount>().set()); }
  static FieldSet none() { return FieldSet({}); }

  bool has(Field field) const { return bits_.test(static_cast<std::size_t>(field)); }
  void add(Field field) { bits_.set(static_cast<std::size_t>(field)); }
  void remove(Field field) { bits_.reset(static_cast<std::size_t>(field)); }
  bool operator==(const FieldSet&) const = default;

 private:
  explicit FieldSet(std::bitset<kFieldCount> bits) : bits_(bits) {}
  std::bitset<kFieldCount> bits_;
};

std::optional<Field> field_from_name(std::string_view name);

// randomuser writes most postcodes as JSON numbers and some (CA, GB, ...) as
// strings; a user keeps whichever it has.
struct Postcode {
  std::optional<std::int64_t> number;
  std::string text;  // used when number is empty

  std::string to_string() const { return number ? std::to_string(*number) : text; }
};

struct DatedAge {
  std::string date;  // ISO 8601 with milliseconds, "1992-03-08T15:13:16.688Z"
  int age = 0;       // full years from date to the reference day
};

struct RandomUser {
  Gender gender = Gender::kMale;
  struct Name {
    std::string title, first, last;
  } name;
  struct Location {
    std::int64_t street_number = 0;
    std::string street_name, city, state, country;
    Postcode postcode;
    std::string latitude, longitude;  // decimal strings, as randomuser sends them
    std::string timezone_offset, timezone_description;
  } location;
  std::string email;
  struct Login {
    std::string uuid, username, password, salt, md5, sha1, sha256;
  } login;
  DatedAge dob, registered;
  std::string phone, cell;
  struct NationalId {
    std::string name;
    std::optional<std::string> value;  // null for nationalities without one
  } id;
  struct Picture {
    std::string large, medium, thumbnail;
  } picture;
  std::string nat;  // upper-case code, "GB"
};

}  // namespace runnel::datagen
