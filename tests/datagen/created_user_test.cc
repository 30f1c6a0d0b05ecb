#include "datagen/created_user.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace runnel::datagen {
namespace {

RandomUser sample_user() {
  RandomUser user;
  user.gender = Gender::kFemale;
  user.name = {"Ms", "Ada", "Lovelace"};
  user.location.street_number = 12;
  user.location.street_name = "St James's Square";
  user.location.city = "London";
  user.location.state = "Greater London";
  user.location.country = "United Kingdom";
  user.location.postcode.text = "SW1Y 4JH";
  user.email = "ada.lovelace@example.com";
  user.login.uuid = "0b5e1d2c-4c4f-4f4e-9a9a-1234567890ab";
  user.login.username = "smartowl815";
  user.dob = {"1985-12-10T08:00:00.000Z", 40};
  user.registered = {"2010-01-02T03:04:05.006Z", 16};
  user.phone = "020 7946 0000";
  user.picture.medium = "https://randomuser.me/api/portraits/med/women/1.jpg";
  return user;
}

TEST(CreatedUser, FormatsLikeTheSeedsFormatData) {
  const auto created = to_created_user(sample_user());
  EXPECT_EQ(created.id, "0b5e1d2c-4c4f-4f4e-9a9a-1234567890ab");
  EXPECT_EQ(created.first_name, "Ada");
  EXPECT_EQ(created.last_name, "Lovelace");
  EXPECT_EQ(created.gender, "female");
  EXPECT_EQ(created.address, "12 St James's Square, London, Greater London, United Kingdom");
  EXPECT_EQ(created.post_code, "SW1Y 4JH");
  EXPECT_EQ(created.email, "ada.lovelace@example.com");
  EXPECT_EQ(created.username, "smartowl815");
  EXPECT_EQ(created.dob, "1985-12-10T08:00:00.000Z");
  EXPECT_EQ(created.registered_date, "2010-01-02T03:04:05.006Z");
  EXPECT_EQ(created.phone, "020 7946 0000");
  EXPECT_EQ(created.picture, "https://randomuser.me/api/portraits/med/women/1.jpg");
}

TEST(CreatedUser, NumericPostcodeBecomesText) {
  auto user = sample_user();
  user.location.postcode.number = 4068;
  EXPECT_EQ(to_created_user(user).post_code, "4068");
}

TEST(CreatedUser, JsonHasEveryColumn) {
  auto user = sample_user();
  user.name.last = "Love\"lace";
  const auto json = to_json(to_created_user(user));
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  ASSERT_EQ(parser.parse(json).get_object().get(object), simdjson::SUCCESS) << json;
  EXPECT_EQ(object.size(), 12u);
  std::string_view value;
  ASSERT_EQ(object["last_name"].get_string().get(value), simdjson::SUCCESS);
  EXPECT_EQ(value, "Love\"lace");
  ASSERT_EQ(object["dob"].get_string().get(value), simdjson::SUCCESS);
  EXPECT_EQ(value, "1985-12-10T08:00:00.000Z");
}

}  // namespace
}  // namespace runnel::datagen
