#include "datagen/user_writer.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "datagen/randomuser_client.h"
#include "datagen/user_generator.h"

namespace runnel::datagen {
namespace {

std::vector<RandomUser> some_users(int count, const char* seed = "writers") {
  GeneratorOptions options;
  options.seed = seed;
  UserGenerator generator(options);
  std::vector<RandomUser> users(count);
  for (auto& user : users) generator.next(user);
  return users;
}

std::string render(OutputFormat format, const std::vector<RandomUser>& users,
                   FieldSet fields = FieldSet::all(), bool info = true) {
  auto writer = make_user_writer(format, fields);
  writer->begin();
  for (const auto& user : users) writer->write(user);
  const ResponseInfo response_info{"seedy", static_cast<std::int64_t>(users.size()), 2};
  writer->end(info ? &response_info : nullptr);
  return writer->output();
}

void expect_same_user(const RandomUser& a, const RandomUser& b) {
  EXPECT_EQ(a.gender, b.gender);
  EXPECT_EQ(a.name.title, b.name.title);
  EXPECT_EQ(a.name.first, b.name.first);
  EXPECT_EQ(a.name.last, b.name.last);
  EXPECT_EQ(a.location.street_number, b.location.street_number);
  EXPECT_EQ(a.location.street_name, b.location.street_name);
  EXPECT_EQ(a.location.postcode.to_string(), b.location.postcode.to_string());
  EXPECT_EQ(a.location.postcode.number.has_value(), b.location.postcode.number.has_value());
  EXPECT_EQ(a.location.latitude, b.location.latitude);
  EXPECT_EQ(a.location.timezone_description, b.location.timezone_description);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.login.uuid, b.login.uuid);
  EXPECT_EQ(a.login.sha256, b.login.sha256);
  EXPECT_EQ(a.dob.date, b.dob.date);
  EXPECT_EQ(a.dob.age, b.dob.age);
  EXPECT_EQ(a.registered.date, b.registered.date);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.cell, b.cell);
  EXPECT_EQ(a.id.name, b.id.name);
  EXPECT_EQ(a.id.value, b.id.value);
  EXPECT_EQ(a.picture.medium, b.picture.medium);
  EXPECT_EQ(a.nat, b.nat);
}

TEST(UserWriter, JsonRoundTripsThroughTheClientsParser) {
  const auto users = some_users(300);
  for (auto format : {OutputFormat::kJson, OutputFormat::kPrettyJson}) {
    const auto body = render(format, users);
    auto parsed = parse_users_response(body);
    ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
    ASSERT_EQ(parsed->size(), users.size());
    for (std::size_t i = 0; i < users.size(); ++i) expect_same_user(users[i], (*parsed)[i]);
  }
}

TEST(UserWriter, JsonHasRandomUsersShapeAndInfo) {
  const auto body = render(OutputFormat::kJson, some_users(1));
  EXPECT_EQ(body.rfind(R"({"results":[{"gender":)", 0), 0u) << body.substr(0, 40);
  EXPECT_NE(body.find(R"("info":{"seed":"seedy","results":1,"page":2,"version":"1.4"}})"),
            std::string::npos);
  const std::string order[] = {"\"gender\"", "\"name\"", "\"location\"",   "\"email\"",
                               "\"login\"",  "\"dob\"",  "\"registered\"", "\"phone\"",
                               "\"cell\"",   "\"id\"",   "\"picture\"",    "\"nat\""};
  std::size_t position = 0;
  for (const auto& key : order) {
    const auto found = body.find(key, position);
    ASSERT_NE(found, std::string::npos) << key << " missing or out of order";
    position = found;
  }
  EXPECT_EQ(render(OutputFormat::kJson, some_users(1), FieldSet::all(), false).find("info"),
            std::string::npos);
}

TEST(UserWriter, JsonLinesIsOneObjectPerLine) {
  const auto body = render(OutputFormat::kJsonLines, some_users(5));
  EXPECT_EQ(std::count(body.begin(), body.end(), '\n'), 5);
  EXPECT_EQ(body.find("info"), std::string::npos);
}

TEST(UserWriter, FieldSelection) {
  FieldSet fields = FieldSet::none();
  fields.add(Field::kName);
  fields.add(Field::kNat);
  const auto body = render(OutputFormat::kJson, some_users(2), fields);
  EXPECT_EQ(body.find("\"login\""), std::string::npos);
  EXPECT_EQ(body.find("\"gender\""), std::string::npos);
  EXPECT_NE(body.find("\"name\""), std::string::npos);
}

TEST(UserWriter, CsvHasDottedHeaderAndQuotesWhenNeeded) {
  const auto users = some_users(20);
  const auto body = render(OutputFormat::kCsv, users);
  const auto header = body.substr(0, body.find('\n'));
  EXPECT_EQ(header.rfind("gender,name.title,name.first,name.last,location.street.number,", 0), 0u);
  EXPECT_NE(header.find(",id.name,id.value,picture.large,picture.medium,picture.thumbnail,nat"),
            std::string::npos);
  EXPECT_EQ(std::count(body.begin(), body.end(), '\n'), 21);
  // Descriptions with commas are quoted.
  EXPECT_NE(body.find("\"Brussels, Copenhagen, Madrid, Paris\""), std::string::npos);
}

TEST(UserWriter, XmlNestsResultsUnderUser) {
  const auto body = render(OutputFormat::kXml, some_users(2));
  EXPECT_EQ(body.rfind("<?xml version='1.0'?>\n<user>\n    <results>\n", 0), 0u);
  EXPECT_NE(body.find("<version>1.4</version>"), std::string::npos);
  EXPECT_EQ(body.substr(body.size() - 8), "</user>\n");
}

TEST(UserWriter, XmlEscapesMarkup) {
  auto users = some_users(1);
  users[0].name.first = "<Tom & \"Jerry\">";
  const auto body = render(OutputFormat::kXml, users);
  EXPECT_NE(body.find("<first>&lt;Tom &amp; &quot;Jerry&quot;&gt;</first>"), std::string::npos);
}

TEST(UserWriter, YamlParsesBackWithStringsKeptStrings) {
  const auto users = some_users(50, "yaml");
  const auto body = render(OutputFormat::kYaml, users);
  const YAML::Node document = YAML::Load(body);
  ASSERT_TRUE(document["results"].IsSequence());
  ASSERT_EQ(document["results"].size(), users.size());
  for (std::size_t i = 0; i < users.size(); ++i) {
    const auto node = document["results"][i];
    EXPECT_EQ(node["name"]["first"].as<std::string>(), users[i].name.first);
    EXPECT_EQ(node["login"]["md5"].as<std::string>(), users[i].login.md5);
    EXPECT_EQ(node["location"]["timezone"]["offset"].as<std::string>(),
              users[i].location.timezone_offset);
    EXPECT_EQ(node["dob"]["date"].as<std::string>(), users[i].dob.date);
    if (!users[i].id.value) {
      EXPECT_TRUE(node["id"]["value"].IsNull());
    }
  }
  // Values a YAML 1.1 reader would take for numbers or times are quoted.
  EXPECT_NE(body.find("offset: \"+"), std::string::npos);
  EXPECT_EQ(document["info"]["version"].as<std::string>(), "1.4");
}

TEST(UserWriter, ContentTypesAreRandomUsers) {
  EXPECT_EQ(content_type(OutputFormat::kJson), "application/json; charset=utf-8");
  EXPECT_EQ(content_type(OutputFormat::kCsv), "text/csv; charset=utf-8");
  EXPECT_EQ(content_type(OutputFormat::kYaml), "text/x-yaml; charset=utf-8");
  EXPECT_EQ(content_type(OutputFormat::kXml), "text/xml; charset=utf-8");
}

}  // namespace
}  // namespace runnel::datagen
