#include "sinks/cql/cql_script.h"

#include <gtest/gtest.h>

namespace runnel::sinks {
namespace {

std::vector<std::string> texts(std::string_view script) {
  auto statements = split_cql_script(script);
  EXPECT_TRUE(statements.is_ok()) << statements.status().to_string();
  std::vector<std::string> out;
  if (!statements) return out;
  for (const auto& statement : *statements) out.push_back(statement.text);
  return out;
}

TEST(CqlScript, SplitsOnSemicolonsAndKeepsALastStatementWithoutOne) {
  EXPECT_EQ(texts("SELECT 1; SELECT 2;\n  SELECT 3  "),
            (std::vector<std::string>{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(CqlScript, SemicolonsInsideStringsIdentifiersAndDollarStringsDoNotSplit) {
  EXPECT_EQ(texts("INSERT INTO t (k, v) VALUES (1, 'a;b''c;');"
                  "SELECT \"we;ird\"\"x\" FROM t; SELECT $$x;y$$ FROM t"),
            (std::vector<std::string>{"INSERT INTO t (k, v) VALUES (1, 'a;b''c;')",
                                      "SELECT \"we;ird\"\"x\" FROM t", "SELECT $$x;y$$ FROM t"}));
}

TEST(CqlScript, CommentsAreRemovedAndTheirSemicolonsIgnored) {
  EXPECT_EQ(texts("-- a comment; still comment\nSELECT 1 // trailing; comment\n;"
                  "/* block; \n comment */ SELECT 2;"),
            (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(texts("SELECT '--not a comment' FROM t"),
            (std::vector<std::string>{"SELECT '--not a comment' FROM t"}));
}

TEST(CqlScript, EmptyStatementsAreSkippedAndLinesCounted) {
  auto statements = split_cql_script(";;\n -- only a comment\n;\n\nSELECT 1;\n\n  SELECT\n2;;");
  ASSERT_TRUE(statements.is_ok());
  ASSERT_EQ(statements->size(), 2u);
  EXPECT_EQ((*statements)[0].line, 5);
  EXPECT_EQ((*statements)[1].text, "SELECT\n2");
  EXPECT_EQ((*statements)[1].line, 7);
  EXPECT_TRUE(texts("").empty());
  EXPECT_TRUE(texts(" \n -- nothing\n").empty());
}

TEST(CqlScript, UnterminatedQuotesAndCommentsAreErrorsNamingTheirLine) {
  auto string = split_cql_script("SELECT 1;\nSELECT 'oops;");
  ASSERT_FALSE(string.is_ok());
  EXPECT_EQ(string.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(string.status().message(), "unterminated string starting on line 2");
  EXPECT_EQ(split_cql_script("SELECT \"x").status().message(),
            "unterminated quoted identifier starting on line 1");
  EXPECT_EQ(split_cql_script("\n\n/* never closed").status().message(),
            "unterminated comment starting on line 3");
  EXPECT_EQ(split_cql_script("SELECT $$x").status().message(),
            "unterminated $$ string starting on line 1");
}

}  // namespace
}  // namespace runnel::sinks
