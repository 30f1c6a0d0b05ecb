#include "sinks/jsonl_file_sink.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace runnel::sinks {
namespace {

using stream::FieldType;

class JsonLinesSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "runnel-jsonl-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string contents(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  stream::Schema schema_{
      "t",
      {{"id", FieldType::kBigint, true}, {"name", FieldType::kText}, {"at", FieldType::kTimestamp}},
      {"id"}};
  std::filesystem::path directory_;
};

TEST_F(JsonLinesSinkTest, AppendsOneJsonLinePerRowAcrossBatchesAndSinks) {
  std::filesystem::path path = directory_ / "users.jsonl";
  {
    JsonLinesSink sink(path);
    auto offsets = sink.open(schema_, "job");
    ASSERT_TRUE(offsets.is_ok()) << offsets.status().to_string();
    EXPECT_TRUE(offsets->empty());
    EXPECT_FALSE(sink.stores_offsets());
    ASSERT_TRUE(sink.write({0,
                            {stream::Row{{int64_t{1}, std::string("tab\there \"q\""), int64_t{0}}},
                             stream::Row{{int64_t{2}, std::monostate{}, std::monostate{}}}},
                            {{"users_created", 0, 2}}})
                    .is_ok());
    ASSERT_TRUE(sink.write({1, {}, {{"users_created", 0, 3}}}).is_ok());
    EXPECT_EQ(
        contents(path),
        "{\"id\":1,\"name\":\"tab\\there \\\"q\\\"\",\"at\":\"1970-01-01T00:00:00.000000Z\"}\n"
        "{\"id\":2,\"name\":null,\"at\":null}\n");
  }
  JsonLinesSink again(path);
  ASSERT_TRUE(again.open(schema_, "job").is_ok());
  ASSERT_TRUE(
      again.write({0, {stream::Row{{int64_t{3}, std::string("\xC3\xBC"), int64_t{-1}}}}, {}})
          .is_ok());
  EXPECT_EQ(contents(path),
            "{\"id\":1,\"name\":\"tab\\there \\\"q\\\"\",\"at\":\"1970-01-01T00:00:00.000000Z\"}\n"
            "{\"id\":2,\"name\":null,\"at\":null}\n"
            "{\"id\":3,\"name\":\"\xC3\xBC\",\"at\":\"1969-12-31T23:59:59.999999Z\"}\n");
}

TEST_F(JsonLinesSinkTest, OpenFailsClearlyWhenTheDirectoryIsMissing) {
  JsonLinesSink sink(directory_ / "missing" / "users.jsonl");
  auto offsets = sink.open(schema_, "job");
  ASSERT_FALSE(offsets.is_ok());
  EXPECT_NE(offsets.status().message().find("missing/users.jsonl"), std::string::npos)
      << offsets.status().message();
  EXPECT_NE(offsets.status().message().find("No such file"), std::string::npos)
      << offsets.status().message();
}

}  // namespace
}  // namespace runnel::sinks
