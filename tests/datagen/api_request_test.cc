#include "datagen/api_request.h"

#include <gtest/gtest.h>

namespace runnel::datagen {
namespace {

ApiRequest lenient(const QueryParameters& parameters) {
  auto request = parse_api_request(parameters, Leniency::kLikeRandomUser);
  EXPECT_TRUE(request.is_ok()) << request.status().to_string();
  return request.is_ok() ? *request : ApiRequest{};
}

Status strict(const QueryParameters& parameters) {
  return parse_api_request(parameters, Leniency::kStrict).status();
}

TEST(ApiRequest, Defaults) {
  const auto request = lenient({});
  EXPECT_EQ(request.results, 1);
  EXPECT_EQ(request.format, OutputFormat::kJson);
  EXPECT_EQ(request.fields, FieldSet::all());
  EXPECT_TRUE(request.include_info);
  EXPECT_FALSE(request.download);
  EXPECT_EQ(request.generator.seed.size(), 16u);  // a fresh seed
  EXPECT_EQ(request.info_seed, request.generator.seed);
}

TEST(ApiRequest, ResultsFollowRandomUsersRules) {
  EXPECT_EQ(lenient({{"results", "5000"}}).results, 5000);
  EXPECT_EQ(lenient({{"results", " 42 "}}).results, 42);
  for (const char* bad : {"0", "-5", "5001", "abc", "", "1.5", "99999999999999999999", "1e400"}) {
    EXPECT_EQ(lenient({{"results", bad}}).results, 1) << bad;
    EXPECT_EQ(strict({{"results", bad}}).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ApiRequest, RepeatedParameterTakesTheLastValue) {
  EXPECT_EQ(lenient({{"results", "3"}, {"results", "9"}}).results, 9);
}

TEST(ApiRequest, Nationalities) {
  const auto request = lenient({{"nat", "fr, gb,FR"}});
  ASSERT_EQ(request.generator.nationalities.size(), 2u);
  EXPECT_EQ(request.generator.nationalities[0]->code, "FR");
  EXPECT_EQ(request.generator.nationalities[1]->code, "GB");
  // One unknown code and randomuser ignores the whole list.
  EXPECT_TRUE(lenient({{"nat", "fr,xx"}}).generator.nationalities.empty());
  EXPECT_EQ(strict({{"nat", "fr,xx"}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(lenient({{"nationality", "us"}}).generator.nationalities.size(), 1u);
}

TEST(ApiRequest, SeedReportsNationalityInInfoSeed) {
  const auto request = lenient({{"seed", "abc"}, {"nat", "US"}});
  EXPECT_EQ(request.generator.seed, "abc");
  EXPECT_EQ(request.info_seed, "abc14");  // US is the 21st nationality (0x14)
  // Fed back as an 18-character seed, it selects the nationality.
  const auto again = lenient({{"seed", "0123456789abcdef14"}});
  EXPECT_EQ(again.generator.seed, "0123456789abcdef");
  ASSERT_EQ(again.generator.nationalities.size(), 1u);
  EXPECT_EQ(again.generator.nationalities[0]->code, "US");
  EXPECT_EQ(again.info_seed, "0123456789abcdef14");
}

TEST(ApiRequest, GenderIsIgnoredWithASeedAsRandomUserDoes) {
  EXPECT_EQ(lenient({{"gender", "female"}}).generator.gender, Gender::kFemale);
  EXPECT_FALSE(lenient({{"gender", "female"}, {"seed", "s"}}).generator.gender.has_value());
  EXPECT_FALSE(lenient({{"gender", "other"}}).generator.gender.has_value());
  EXPECT_EQ(strict({{"gender", "other"}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(strict({{"gender", "male"}, {"seed", "s"}}).code(), StatusCode::kInvalidArgument);
}

TEST(ApiRequest, IncludeAndExclude) {
  const auto inc = lenient({{"inc", "gender, NAME,nat,bogus"}});
  EXPECT_TRUE(inc.fields.has(Field::kGender));
  EXPECT_TRUE(inc.fields.has(Field::kName));
  EXPECT_TRUE(inc.fields.has(Field::kNat));
  EXPECT_FALSE(inc.fields.has(Field::kLogin));
  const auto exc = lenient({{"exc", "login,id"}});
  EXPECT_FALSE(exc.fields.has(Field::kLogin));
  EXPECT_FALSE(exc.fields.has(Field::kId));
  EXPECT_TRUE(exc.fields.has(Field::kEmail));
  const auto both = lenient({{"inc", "name,email"}, {"exc", "email"}});
  EXPECT_TRUE(both.fields.has(Field::kName));
  EXPECT_FALSE(both.fields.has(Field::kEmail));
  EXPECT_EQ(strict({{"inc", "name,bogus"}}).code(), StatusCode::kInvalidArgument);
}

TEST(ApiRequest, Formats) {
  EXPECT_EQ(lenient({{"format", "CSV"}}).format, OutputFormat::kCsv);
  EXPECT_EQ(lenient({{"fmt", "xml"}}).format, OutputFormat::kXml);
  EXPECT_EQ(lenient({{"format", "prettyjson"}}).format, OutputFormat::kPrettyJson);
  EXPECT_EQ(lenient({{"format", "yaml"}}).format, OutputFormat::kYaml);
  EXPECT_EQ(lenient({{"format", "nope"}}).format, OutputFormat::kJson);
  EXPECT_EQ(lenient({{"format", "jsonl"}}).format, OutputFormat::kJson);  // not a randomuser format
  auto cli = parse_api_request({{"format", "jsonl"}}, Leniency::kStrict);
  ASSERT_TRUE(cli.is_ok());
  EXPECT_EQ(cli->format, OutputFormat::kJsonLines);
  EXPECT_EQ(strict({{"format", "nope"}}).code(), StatusCode::kInvalidArgument);
}

TEST(ApiRequest, Page) {
  EXPECT_EQ(lenient({{"page", "3"}}).generator.page, 3);
  for (const char* bad : {"0", "-1", "10001", "x"}) {
    EXPECT_EQ(lenient({{"page", bad}}).generator.page, 1) << bad;
    EXPECT_EQ(strict({{"page", bad}}).code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ApiRequest, Password) {
  auto policy = lenient({{"password", "upper,lower,8-16"}}).generator.password;
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->alphabet.size(), 52u);
  EXPECT_EQ(policy->min_length, 8);
  EXPECT_EQ(policy->max_length, 16);

  policy = lenient({{"password", "number,12"}}).generator.password;
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->alphabet, "0123456789");
  EXPECT_EQ(policy->min_length, 12);
  EXPECT_EQ(policy->max_length, 12);

  policy = lenient({{"password", "special,upper"}}).generator.password;  // no length: 8-64
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->min_length, 8);
  EXPECT_EQ(policy->max_length, 64);

  policy = lenient({{"password", "lower,16-4"}}).generator.password;  // reversed range
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(policy->min_length, 4);
  EXPECT_EQ(policy->max_length, 16);

  EXPECT_FALSE(lenient({{"password", "emoji,8"}}).generator.password.has_value());
  EXPECT_EQ(strict({{"password", "emoji,8"}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(strict({{"password", "lower,0-99"}}).code(), StatusCode::kInvalidArgument);
}

TEST(ApiRequest, FlagsAndUnknownParameters) {
  const auto request = lenient({{"noinfo", ""}, {"dl", ""}, {"callback", "cb"}, {"foo", "bar"}});
  EXPECT_FALSE(request.include_info);
  EXPECT_TRUE(request.download);
  EXPECT_EQ(request.callback, "cb");
  EXPECT_EQ(strict({{"foo", "bar"}}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace runnel::datagen
