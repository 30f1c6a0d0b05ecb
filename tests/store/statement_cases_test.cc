// CQL statement behaviour as data (tests/store/cases/*.test, DuckDB style):
// each file is one GoogleTest that runs its records, in order, against a
// fresh Store in a temporary directory, through Session::query only, as the
// CQL server would. The expected results are what Apache Cassandra 3.11
// answers; tests/store/cases/README.md says how cases are written.
//
// A file is a sequence of records separated by blank lines. Lines starting
// with '#' between records are comments. A record is one of:
//
//   statement ok                      the statement succeeds (any result)
//   <CQL, one or more lines>
//
//   statement error <Code>[: <text>]  the statement fails with this error
//   <CQL>                             code (SyntaxError, Invalid, ...) and a
//                                     message containing <text>
//
//   query [rowsort] [page_size=N]     the statement returns rows: the column
//   <CQL>                             names, then one line per row, values
//   ----                              as cql::format prints them (null for a
//   k | v                             null), joined by " | " (cells are
//   1 | a                             compared trimmed). rowsort: the
//                                     rows are compared sorted, for results
//                                     whose order Cassandra leaves open.
//                                     page_size=N: fetched N rows a page,
//                                     following paging_state to the end.
//
//   restart                           close the Store and open it again on
//                                     the same directory, with a new session
//                                     (no keyspace in use)
//
//   sleep <milliseconds>              wait (at most 2000), for TTL expiry
//
// A failing record is reported with its file and line; the records after it
// still run, so one run lists every difference.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "cql/value.h"
#include "store/session.h"

namespace runnel::store {
namespace {

struct Record {
  enum class Kind { kStatementOk, kStatementError, kQuery, kRestart, kSleep };
  Kind kind = Kind::kStatementOk;
  int line = 0;  // of the directive, 1-based
  std::string cql;
  // kStatementError: the error code's name and a substring of its message
  // (empty: any message).
  std::string error_code;
  std::string error_text;
  // kQuery: the header line and the row lines, as written.
  bool rowsort = false;
  std::int32_t page_size = -1;
  std::vector<std::string> expected;
  int sleep_milliseconds = 0;
};

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  auto end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The protocol's error codes by the names the case files use.
constexpr std::pair<cql::ErrorCode, std::string_view> kErrorCodeNames[] = {
    {cql::ErrorCode::kServerError, "ServerError"},
    {cql::ErrorCode::kProtocolError, "ProtocolError"},
    {cql::ErrorCode::kBadCredentials, "BadCredentials"},
    {cql::ErrorCode::kUnavailable, "Unavailable"},
    {cql::ErrorCode::kOverloaded, "Overloaded"},
    {cql::ErrorCode::kIsBootstrapping, "IsBootstrapping"},
    {cql::ErrorCode::kTruncateError, "TruncateError"},
    {cql::ErrorCode::kWriteTimeout, "WriteTimeout"},
    {cql::ErrorCode::kReadTimeout, "ReadTimeout"},
    {cql::ErrorCode::kReadFailure, "ReadFailure"},
    {cql::ErrorCode::kFunctionFailure, "FunctionFailure"},
    {cql::ErrorCode::kWriteFailure, "WriteFailure"},
    {cql::ErrorCode::kSyntaxError, "SyntaxError"},
    {cql::ErrorCode::kUnauthorized, "Unauthorized"},
    {cql::ErrorCode::kInvalid, "Invalid"},
    {cql::ErrorCode::kConfigError, "ConfigError"},
    {cql::ErrorCode::kAlreadyExists, "AlreadyExists"},
    {cql::ErrorCode::kUnprepared, "Unprepared"},
};

std::string error_code_name(cql::ErrorCode code) {
  for (const auto& [known, name] : kErrorCodeNames) {
    if (known == code) return std::string(name);
  }
  return "code " + std::to_string(static_cast<std::int32_t>(code));
}

bool is_error_code_name(std::string_view name) {
  for (const auto& [code, known] : kErrorCodeNames) {
    if (known == name) return true;
  }
  return false;
}

// Parses a whole file; a malformed directive is a test failure (the file is
// wrong), reported by line.
Result<std::vector<Record>> parse_cases(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  std::vector<Record> records;
  size_t i = 0;
  auto blank = [&](size_t at) { return trim(lines[at]).empty(); };
  while (i < lines.size()) {
    std::string directive = trim(lines[i]);
    if (directive.empty() || directive[0] == '#') {
      ++i;
      continue;
    }
    Record record;
    record.line = static_cast<int>(i) + 1;
    std::string where = "line " + std::to_string(record.line) + ": ";
    std::vector<std::string> words = split_words(directive);
    ++i;
    if (words[0] == "restart" && words.size() == 1) {
      record.kind = Record::Kind::kRestart;
      records.push_back(std::move(record));
      continue;
    }
    if (words[0] == "sleep" && words.size() == 2) {
      record.kind = Record::Kind::kSleep;
      record.sleep_milliseconds = std::atoi(words[1].c_str());
      if (record.sleep_milliseconds <= 0 || record.sleep_milliseconds > 2000) {
        return invalid_argument(where + "sleep takes 1 to 2000 milliseconds");
      }
      records.push_back(std::move(record));
      continue;
    }
    if (words[0] == "statement" && words.size() == 2 && words[1] == "ok") {
      record.kind = Record::Kind::kStatementOk;
    } else if (words[0] == "statement" && words.size() >= 3 && words[1] == "error") {
      record.kind = Record::Kind::kStatementError;
      std::string rest = trim(directive.substr(directive.find("error") + 5));
      auto colon = rest.find(':');
      record.error_code = trim(rest.substr(0, colon));
      if (colon != std::string::npos) record.error_text = trim(rest.substr(colon + 1));
      if (!is_error_code_name(record.error_code)) {
        return invalid_argument(where + "unknown error code " + record.error_code);
      }
    } else if (words[0] == "query") {
      record.kind = Record::Kind::kQuery;
      for (size_t w = 1; w < words.size(); ++w) {
        if (words[w] == "rowsort") {
          record.rowsort = true;
        } else if (words[w].starts_with("page_size=")) {
          record.page_size = std::atoi(words[w].c_str() + 10);
          if (record.page_size <= 0) return invalid_argument(where + "page_size must be positive");
        } else {
          return invalid_argument(where + "unknown query option " + words[w]);
        }
      }
    } else {
      return invalid_argument(where + "unknown directive: " + directive);
    }

    // The statement: every line up to a blank line or, for a query, "----".
    while (i < lines.size() && !blank(i) &&
           !(record.kind == Record::Kind::kQuery && trim(lines[i]) == "----")) {
      if (!record.cql.empty()) record.cql += '\n';
      record.cql += lines[i];
      ++i;
    }
    if (record.cql.empty()) return invalid_argument(where + "no statement");
    if (record.kind == Record::Kind::kQuery) {
      if (i >= lines.size() || trim(lines[i]) != "----") {
        return invalid_argument(where + "a query needs ---- and the expected columns");
      }
      ++i;
      while (i < lines.size() && !blank(i)) record.expected.push_back(trim(lines[i++]));
      if (record.expected.empty()) return invalid_argument(where + "no column names after ----");
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::string describe(const CqlError& error) {
  return error_code_name(error.code) + ": " + error.message;
}

std::string describe(const Outcome& outcome) {
  if (const auto* error = std::get_if<CqlError>(&outcome)) return describe(*error);
  if (std::holds_alternative<Rows>(outcome)) return "rows";
  if (std::holds_alternative<SetKeyspace>(outcome)) return "set keyspace";
  if (std::holds_alternative<SchemaChange>(outcome)) return "schema change";
  return "void";
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += "    " + line + "\n";
  return text;
}

// The store under test: a fresh directory, and the Store and session on it.
class CaseStore {
 public:
  CaseStore() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "runnel-store-cases-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) directory_ = pattern;
  }
  ~CaseStore() {
    session_.reset();
    if (store_) (void)store_->close();
    store_.reset();
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
  }

  Status open() {
    if (directory_.empty()) return internal_error("no temporary directory");
    StoreOptions options;
    options.data_dir = directory_;
    auto opened = Store::open(options);
    if (!opened.is_ok()) return opened.status();
    store_ = std::move(opened).value();
    session_ = store_->open_session();
    return Status::ok();
  }

  Status restart() {
    if (!store_) return open();
    session_.reset();
    Status closed = store_->close();
    store_.reset();
    if (!closed.is_ok()) return closed;
    return open();
  }

  // All rows of a query, following paging_state when page_size is set.
  Outcome run(const std::string& cql, std::int32_t page_size) {
    if (!session_)
      return CqlError{cql::ErrorCode::kServerError, "the store is not open", {}, {}, {}};
    QueryParameters parameters;
    parameters.page_size = page_size;
    Outcome first = session_->query(cql, parameters);
    auto* rows = std::get_if<Rows>(&first);
    // Bounded: a store that keeps answering with a paging state fails the
    // case instead of looping.
    for (int page = 0; rows != nullptr && rows->paging_state && page < 10000; ++page) {
      parameters.paging_state = rows->paging_state;
      Outcome next = session_->query(cql, parameters);
      auto* more = std::get_if<Rows>(&next);
      if (more == nullptr) return next;
      if (more->rows.empty() && more->paging_state == rows->paging_state) {
        return CqlError{cql::ErrorCode::kServerError, "paging state does not advance", {}, {}, {}};
      }
      for (auto& row : more->rows) rows->rows.push_back(std::move(row));
      rows->paging_state = std::move(more->paging_state);
    }
    return first;
  }

 private:
  std::string directory_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Session> session_;
};

// A header or row line with each cell trimmed: "empty |  | null" and
// "empty | | null" are the same row.
std::string canonical(std::string_view line) {
  std::string result;
  size_t start = 0;
  while (true) {
    size_t bar = line.find('|', start);
    if (start > 0) result += " | ";
    result += trim(line.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) return trim(result);
    start = bar + 1;
  }
}

// The header and one line per row, as the case files write them.
std::vector<std::string> format_rows(const Rows& rows) {
  std::vector<std::string> lines;
  std::string header;
  for (const auto& column : rows.columns) {
    if (!header.empty()) header += " | ";
    header += column.name;
  }
  lines.push_back(header);
  for (const auto& row : rows.rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += " | ";
      if (!row[c]) {
        line += "null";
      } else if (c < rows.columns.size()) {
        line += cql::format(rows.columns[c].type, *row[c]);
      } else {
        line += "<no column spec>";
      }
    }
    lines.push_back(canonical(line));
  }
  lines[0] = canonical(lines[0]);
  return lines;
}

// Empty when the record holds; else what differs.
std::string check(CaseStore& store, const Record& record) {
  switch (record.kind) {
    case Record::Kind::kRestart: {
      Status restarted = store.restart();
      return restarted.is_ok() ? "" : "restart failed: " + restarted.to_string();
    }
    case Record::Kind::kSleep:
      std::this_thread::sleep_for(std::chrono::milliseconds(record.sleep_milliseconds));
      return "";
    case Record::Kind::kStatementOk: {
      Outcome outcome = store.run(record.cql, -1);
      if (const auto* error = std::get_if<CqlError>(&outcome)) {
        return "expected success, got " + describe(*error);
      }
      return "";
    }
    case Record::Kind::kStatementError: {
      Outcome outcome = store.run(record.cql, -1);
      const auto* error = std::get_if<CqlError>(&outcome);
      if (error == nullptr) return "expected an error, got " + describe(outcome);
      if (error_code_name(error->code) != record.error_code ||
          error->message.find(record.error_text) == std::string::npos) {
        return "expected " + record.error_code + ": ..." + record.error_text + "..., got " +
               describe(*error);
      }
      return "";
    }
    case Record::Kind::kQuery: {
      Outcome outcome = store.run(record.cql, record.page_size);
      const auto* rows = std::get_if<Rows>(&outcome);
      if (rows == nullptr) return "expected rows, got " + describe(outcome);
      std::vector<std::string> got = format_rows(*rows);
      std::vector<std::string> expected;
      for (const auto& line : record.expected) expected.push_back(canonical(line));
      if (record.rowsort) {
        std::sort(got.begin() + 1, got.end());
        std::sort(expected.begin() + 1, expected.end());
      }
      if (got != expected) return "expected\n" + join(expected) + "got\n" + join(got);
      return "";
    }
  }
  return "";
}

std::vector<std::string> case_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(RUNNEL_STORE_CASES_DIR)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class StatementCases : public ::testing::TestWithParam<std::string> {};

TEST_P(StatementCases, MatchCassandra) {
  const std::string& path = GetParam();
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  auto records = parse_cases(text.str());
  ASSERT_TRUE(records.is_ok()) << path << ": " << records.status().message();

  CaseStore store;
  Status opened = store.open();
  ASSERT_TRUE(opened.is_ok()) << opened.to_string();
  std::string name = std::filesystem::path(path).filename().string();
  int failed = 0;
  for (const Record& record : *records) {
    std::string difference = check(store, record);
    if (!difference.empty()) {
      ++failed;
      ADD_FAILURE_AT(path.c_str(), record.line) << record.cql << "\n" << difference;
    }
  }
  std::printf("%s: %zu records, %d failed\n", name.c_str(), records->size(), failed);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, StatementCases, ::testing::ValuesIn(case_files()), test_name);

// The suite cannot pass by finding nothing to run.
TEST(StatementCaseFiles, AreFound) { EXPECT_GE(case_files().size(), 20u); }

// A mistake in a case file fails its test, with the line, rather than
// running something else than what was meant.
TEST(StatementCaseFiles, MalformedRecordsAreRejectedWithTheirLine) {
  auto unknown = parse_cases("statement ok\nUSE ks\n\nstatment ok\nUSE ks\n");
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("line 4"), std::string::npos);
  EXPECT_FALSE(parse_cases("statement error Invlid: x\nSELECT 1\n").is_ok());
  EXPECT_FALSE(parse_cases("query\nSELECT * FROM ks.t\n").is_ok());
  EXPECT_FALSE(parse_cases("query\nSELECT * FROM ks.t\n----\n").is_ok());
  EXPECT_FALSE(parse_cases("statement ok\n\n").is_ok());
  EXPECT_FALSE(parse_cases("sleep 5000\n").is_ok());
  EXPECT_FALSE(parse_cases("query sorted\nSELECT 1\n----\nk\n").is_ok());

  auto good = parse_cases(
      "# comment\nquery rowsort page_size=2\nSELECT k\nFROM ks.t\n----\nk\n1\n\nrestart\n"
      "statement error Invalid: unconfigured table t\nSELECT * FROM t\n");
  ASSERT_TRUE(good.is_ok()) << good.status().message();
  ASSERT_EQ(good->size(), 3u);
  EXPECT_EQ((*good)[0].cql, "SELECT k\nFROM ks.t");
  EXPECT_TRUE((*good)[0].rowsort);
  EXPECT_EQ((*good)[0].page_size, 2);
  EXPECT_EQ((*good)[0].expected, (std::vector<std::string>{"k", "1"}));
  EXPECT_EQ((*good)[1].kind, Record::Kind::kRestart);
  EXPECT_EQ((*good)[2].error_code, "Invalid");
  EXPECT_EQ((*good)[2].error_text, "unconfigured table t");
}

// Cells compare trimmed, so an empty text value may be written "a | | c".
TEST(StatementCaseFiles, RowsCompareCellByCell) {
  EXPECT_EQ(canonical("empty |  |  | null "), canonical("empty | | | null"));
  EXPECT_EQ(canonical("users |"), "users |");
  EXPECT_NE(canonical("a | b"), canonical("a | c"));
}

}  // namespace
}  // namespace runnel::store
