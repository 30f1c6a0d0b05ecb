#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <simdjson.h>

namespace runnel {
namespace {

TEST(JsonWriter, CompactLikeJsonStringify) {
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.key("a");
  json.number(-12);
  json.key("b");
  json.begin_array();
  json.string("x");
  json.boolean(true);
  json.null();
  json.begin_object();
  json.end_object();
  json.end_array();
  json.end_object();
  json.flush();
  EXPECT_EQ(out, R"({"a":-12,"b":["x",true,null,{}]})");
}

TEST(JsonWriter, PrettyUsesTwoSpaces) {
  std::string out;
  JsonWriter json(out, true);
  json.begin_object();
  json.key("a");
  json.begin_array();
  json.number(1);
  json.end_array();
  json.key("e");
  json.begin_array();
  json.end_array();
  json.end_object();
  json.flush();
  EXPECT_EQ(out, "{\n  \"a\": [\n    1\n  ],\n  \"e\": []\n}");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControls) {
  std::string out;
  JsonWriter json(out);
  json.string("a\"b\\c\nd\te\x01" "f/ü");
  json.flush();
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001f/ü\"");
}

// Every string, long or short, with a special character at any position,
// must come back unchanged through a real JSON parser.
TEST(JsonWriter, RoundTripsThroughSimdjson) {
  const std::string specials = std::string("\"\\\n\r\t\b\f\x1f", 8) + std::string(1, '\0');
  simdjson::dom::parser parser;
  for (std::size_t length = 0; length < 40; ++length) {
    for (std::size_t position = 0; position < length; ++position) {
      for (char special : specials) {
        std::string text(length, 'k');
        text[position] = special;
        std::string out;
        JsonWriter json(out);
        json.string(text);
        json.flush();
        std::string_view parsed;
        ASSERT_EQ(parser.parse(out).get_string().get(parsed), simdjson::SUCCESS) << out;
        ASSERT_EQ(parsed, text) << "length " << length << " position " << position;
      }
    }
  }
}

}  // namespace
}  // namespace runnel

namespace runnel {
namespace {

TEST(JsonWriterDouble, ShortestRoundTripAndNullForNonFinite) {
  std::string out;
  {
    JsonWriter writer(out);
    writer.begin_array();
    writer.real(0.1);
    writer.real(-2.5e-7);
    writer.real(3.0);
    writer.real(std::numeric_limits<double>::quiet_NaN());
    writer.real(std::numeric_limits<double>::infinity());
    writer.end_array();
  }
  EXPECT_EQ(out, "[0.1,-2.5e-07,3,null,null]");
}

}  // namespace
}  // namespace runnel
