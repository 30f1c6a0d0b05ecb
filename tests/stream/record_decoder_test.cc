// RecordDecoder. The decoding rules are tested as data: every file in
// tests/stream/decoding/ is a list of cases run by DecodingCases below (see
// tests/stream/decoding/README.md for the format). Here are the cases that
// are loops or need bytes a text file cannot hold: every truncation of a
// record, binary garbage, deep nesting, and datagen's created users.
#include "stream/record_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "datagen/created_user.h"
#include "datagen/user_generator.h"

namespace runnel::stream {
namespace {

const std::filesystem::path kCasesDirectory =
    std::filesystem::path(__FILE__).parent_path() / "decoding";

// A value as the case files write it: strings in double quotes (with \" and
// \\ escaped), integers and timestamps as decimal integers, doubles in their
// shortest round-trip form, true, false, null.
std::string render(const Value& value) {
  struct Renderer {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(const std::string& text) const {
      std::string out = "\"";
      for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    std::string operator()(int64_t integer) const { return std::to_string(integer); }
    std::string operator()(double real) const {
      char buffer[64];
      auto end = std::to_chars(buffer, buffer + sizeof buffer, real).ptr;
      return std::string(buffer, end);
    }
    std::string operator()(bool flag) const { return flag ? "true" : "false"; }
  };
  return std::visit(Renderer{}, value);
}

Result<FieldType> parse_field_type(std::string_view name) {
  for (FieldType type : {FieldType::kText, FieldType::kInt, FieldType::kBigint, FieldType::kDouble,
                         FieldType::kBoolean, FieldType::kUuid, FieldType::kTimestamp}) {
    if (field_type_name(type) == name) return type;
  }
  return invalid_argument("unknown field type '" + std::string(name) + "'");
}

// One case of a case file: an input line and what decoding it gives.
struct DecodingCase {
  int line = 0;  // of the input, for failure messages
  Schema schema;
  std::string input;
  std::vector<std::string> expected;  // "error: <message>", or "<field>: <value>" lines
};

// Reads a case file; a malformed file fails the test that reads it.
std::vector<DecodingCase> read_cases(const std::filesystem::path& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file.is_open()) << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);

  std::vector<DecodingCase> cases;
  Schema schema;
  size_t i = 0;
  auto block = [&] {  // lines up to the next blank line
    std::vector<std::string> out;
    while (i < lines.size() && !lines[i].empty()) out.push_back(lines[i++]);
    return out;
  };
  while (i < lines.size()) {
    const std::string& line = lines[i];
    if (line.empty() || line[0] == '#') {
      ++i;
    } else if (line == "schema") {
      ++i;
      schema = Schema{path.stem().string(), {}, {}};
      for (const std::string& field_line : block()) {
        std::istringstream words(field_line);
        std::string name, type, flag;
        words >> name >> type >> flag;
        Result<FieldType> field_type = parse_field_type(type);
        EXPECT_TRUE(field_type.is_ok()) << path << ": " << field_line;
        if (!field_type) return {};
        EXPECT_TRUE(flag.empty() || flag == "required") << path << ": " << field_line;
        schema.fields.push_back({name, *field_type, flag == "required"});
      }
    } else if (line == "decode") {
      DecodingCase decoding;
      decoding.line = static_cast<int>(i) + 2;
      decoding.schema = schema;
      EXPECT_TRUE(i + 2 < lines.size() && lines[i + 2] == "----")
          << path << ":" << i + 1 << ": decode needs an input line and ----";
      if (i + 2 >= lines.size()) return {};
      decoding.input = lines[i + 1];
      i += 3;
      decoding.expected = block();
      cases.push_back(std::move(decoding));
    } else {
      ADD_FAILURE() << path << ":" << i + 1 << ": unexpected line: " << line;
      return {};
    }
  }
  return cases;
}

// What decoding gave, in the case files' words.
std::vector<std::string> outcome(const Schema& schema, const Result<Row>& row) {
  if (!row) return {"error: " + row.status().message()};
  std::vector<std::string> lines;
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    if (std::holds_alternative<std::monostate>(row->values[i])) continue;
    lines.push_back(schema.fields[i].name + ": " + render(row->values[i]));
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "\n  " + line;
  return out;
}

class DecodingCases : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(DecodingCases, DecodeAsWritten) {
  const std::vector<DecodingCase> cases = read_cases(GetParam());
  ASSERT_FALSE(cases.empty()) << GetParam() << " has no cases";
  for (const DecodingCase& decoding : cases) {
    RecordDecoder decoder(decoding.schema);
    const Result<Row> row = decoder.decode(decoding.input);
    EXPECT_EQ(joined(outcome(decoding.schema, row)), joined(decoding.expected))
        << GetParam().filename().string() << ":" << decoding.line << ": " << decoding.input;
  }
}

std::vector<std::filesystem::path> case_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kCasesDirectory)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Files, DecodingCases, testing::ValuesIn(case_files()),
                         [](const testing::TestParamInfo<std::filesystem::path>& info) {
                           return info.param.stem().string();
                         });

TEST(RecordDecoder, CaseFilesArePresent) { EXPECT_GE(case_files().size(), 5u); }

Schema every_type_schema() {
  return Schema{"every_type",
                {{"id", FieldType::kUuid, true},
                 {"name", FieldType::kText, true},
                 {"age", FieldType::kInt},
                 {"views", FieldType::kBigint},
                 {"score", FieldType::kDouble},
                 {"active", FieldType::kBoolean},
                 {"seen_at", FieldType::kTimestamp}},
                {"id"}};
}

constexpr std::string_view kEveryType =
    R"({"id":"0B5C9F6E-2F6D-4D1B-9F1E-7C3A1D2B4E5F","name":"Ada \u00e9","age":36,)"
    R"("views":9007199254740993,"score":-1.5e3,"active":true,"seen_at":"2024-05-01T12:34:56Z",)"
    R"("extra":{"nested":[1,2.5,"x",null,true,false,{}]}})";

TEST(RecordDecoder, DecodesEveryTypeAndTheDecoderIsReusable) {
  RecordDecoder decoder(every_type_schema());
  for (int round = 0; round < 3; ++round) {
    Result<Row> row = decoder.decode(kEveryType);
    ASSERT_TRUE(row.is_ok()) << row.status().to_string();
    ASSERT_EQ(row->values.size(), 7u);
    EXPECT_EQ(std::get<std::string>(row->values[0]), "0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f");
    EXPECT_EQ(std::get<std::string>(row->values[1]), "Ada \xC3\xA9");
    EXPECT_EQ(std::get<int64_t>(row->values[2]), 36);
    EXPECT_EQ(std::get<int64_t>(row->values[3]), 9007199254740993);
    EXPECT_EQ(std::get<double>(row->values[4]), -1500.0);
    EXPECT_EQ(std::get<bool>(row->values[5]), true);
    EXPECT_EQ(std::get<int64_t>(row->values[6]), 1714566896000000);
    // An error in between leaves the decoder as good as new.
    EXPECT_FALSE(decoder.decode(R"({"id":)").is_ok());
  }
}

TEST(RecordDecoder, EveryTruncationIsACleanError) {
  RecordDecoder decoder(every_type_schema());
  ASSERT_TRUE(decoder.decode(kEveryType).is_ok());
  for (size_t length = 0; length < kEveryType.size(); ++length) {
    const std::string prefix(kEveryType.substr(0, length));
    Result<Row> row = decoder.decode(prefix);
    ASSERT_FALSE(row.is_ok()) << "prefix of " << length << " bytes decoded: " << prefix;
    EXPECT_EQ(row.status().code(), StatusCode::kInvalidArgument);
    const std::string message = row.status().message();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_TRUE(message.starts_with("not valid JSON: ") || message.starts_with("not a JSON object"))
        << length << " bytes: " << message;
  }
}

TEST(RecordDecoder, BinaryGarbageIsACleanError) {
  RecordDecoder decoder(every_type_schema());
  uint64_t state = 0x9E3779B97F4A7C15u;
  for (int round = 0; round < 2000; ++round) {
    std::string garbage(1 + round % 300, '\0');
    for (char& byte : garbage) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      byte = static_cast<char>(state >> 56);
    }
    if (round % 2 == 1) garbage[0] = '{';  // past the first check
    Result<Row> row = decoder.decode(garbage);
    ASSERT_FALSE(row.is_ok());
    EXPECT_EQ(row.status().message().find('\n'), std::string::npos) << row.status().message();
  }
  EXPECT_TRUE(decoder.decode(kEveryType).is_ok());
}

TEST(RecordDecoder, EveryByteFlipIsAValueOrACleanError) {
  // Corrupting any one byte must give a Row or an error, never a crash; the
  // ones that still decode are the ones inside text.
  RecordDecoder decoder(every_type_schema());
  for (size_t at = 0; at < kEveryType.size(); ++at) {
    for (char replacement : {'\0', '"', '}', ',', '\\', '\x80', 'x'}) {
      std::string corrupt(kEveryType);
      corrupt[at] = replacement;
      Result<Row> row = decoder.decode(corrupt);
      if (!row) {
        EXPECT_EQ(row.status().message().find('\n'), std::string::npos);
      }
    }
  }
}

TEST(RecordDecoder, DeepNestingIsACleanError) {
  RecordDecoder decoder(every_type_schema());
  const std::string deep = R"({"id":"0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f","name":"x","junk":)" +
                           std::string(100000, '[') + std::string(100000, ']') + "}";
  Result<Row> row = decoder.decode(deep);
  ASSERT_FALSE(row.is_ok());
  EXPECT_TRUE(row.status().message().starts_with("not valid JSON: ")) << row.status().message();

  const std::string unbalanced = "{\"junk\":" + std::string(100000, '{');
  EXPECT_FALSE(decoder.decode(unbalanced).is_ok());

  // Nesting well within the limit is fine in an ignored field.
  const std::string nested = R"({"id":"0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f","name":"x","junk":)" +
                             std::string(30, '[') + std::string(30, ']') + "}";
  EXPECT_TRUE(decoder.decode(nested).is_ok()) << decoder.decode(nested).status().message();
}

TEST(RecordDecoder, HugeInputAndHugeNumbers) {
  RecordDecoder decoder(every_type_schema());
  const std::string digits(5000, '7');
  Result<Row> row = decoder.decode(R"({"id":"0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f","name":"x","views":)" +
                                   digits + "}");
  ASSERT_FALSE(row.is_ok());
  EXPECT_TRUE(row.status().message().starts_with("field 'views': 7777777777"));
  EXPECT_TRUE(row.status().message().ends_with("... does not fit bigint")) << row.status().message();

  // A megabyte of text is read whole, and an ignored huge number is fine.
  const std::string name(1 << 20, 'n');
  row = decoder.decode(R"({"id":"0b5c9f6e-2f6d-4d1b-9f1e-7c3a1d2b4e5f","name":")" + name +
                       R"(","ignored":)" + digits + "}");
  ASSERT_TRUE(row.is_ok()) << row.status().message();
  EXPECT_EQ(std::get<std::string>(row->values[1]), name);
}

// Microseconds since the epoch of datagen's "YYYY-MM-DDTHH:MM:SS.mmmZ",
// computed with the C library rather than the decoder's own arithmetic.
int64_t expected_micros(const std::string& iso) {
  std::tm parts{};
  int millis = 0;
  EXPECT_EQ(std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &parts.tm_year, &parts.tm_mon,
                        &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &millis),
            7)
      << iso;
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&parts)) * 1000000 + millis * 1000;
}

TEST(RecordDecoder, DecodesDatagenCreatedUsers) {
  const Schema schema = created_user_schema();
  RecordDecoder decoder(schema);
  datagen::GeneratorOptions options;
  options.seed = "decoder";
  datagen::UserGenerator generator(options);
  datagen::RandomUser user;
  for (int n = 0; n < 50; ++n) {
    generator.next(user);
    const datagen::CreatedUser created = datagen::to_created_user(user);
    Result<Row> row = decoder.decode(datagen::to_json(created));
    ASSERT_TRUE(row.is_ok()) << row.status().message() << "\n" << datagen::to_json(created);
    auto text = [&](const char* field) {
      return std::get<std::string>(row->values[*schema.index_of(field)]);
    };
    auto timestamp = [&](const char* field) {
      return std::get<int64_t>(row->values[*schema.index_of(field)]);
    };
    EXPECT_EQ(text("id"), created.id);
    EXPECT_EQ(text("first_name"), created.first_name);
    EXPECT_EQ(text("last_name"), created.last_name);
    EXPECT_EQ(text("gender"), created.gender);
    EXPECT_EQ(text("address"), created.address);
    EXPECT_EQ(text("post_code"), created.post_code);
    EXPECT_EQ(text("email"), created.email);
    EXPECT_EQ(text("username"), created.username);
    EXPECT_EQ(timestamp("dob"), expected_micros(created.dob));
    EXPECT_EQ(timestamp("registered_date"), expected_micros(created.registered_date));
    EXPECT_EQ(text("phone"), created.phone);
    EXPECT_EQ(text("picture"), created.picture);
  }
}

TEST(RecordDecoder, IsMovable) {
  RecordDecoder first(every_type_schema());
  RecordDecoder second = std::move(first);
  EXPECT_EQ(second.schema().name, "every_type");
  EXPECT_TRUE(second.decode(kEveryType).is_ok());
}

}  // namespace
}  // namespace runnel::stream
