// A Store in a fresh temporary directory, and helpers to run statements
// and read their answers in tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <string>

#include "cql/value.h"
#include "store/session.h"

namespace runnel::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("runnel-store-test-" + std::to_string(std::random_device{}()));
    reopen();
  }
  void TearDown() override {
    session_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Closes the store (if open) and opens it again on the same directory.
  void reopen() {
    session_.reset();
    store_.reset();
    auto store = Store::open(StoreOptions{dir_.string(), "127.0.0.1", 9042});
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    store_ = std::move(*store);
    session_ = store_->open_session();
  }

  Outcome run(const std::string& cql, std::vector<BoundValue> values = {}, int page_size = -1,
              std::optional<std::string> paging_state = std::nullopt) {
    QueryParameters parameters;
    parameters.values = std::move(values);
    parameters.page_size = page_size;
    parameters.paging_state = std::move(paging_state);
    return session_->query(cql, parameters);
  }

  // Runs a statement that must succeed.
  Outcome ok(const std::string& cql, std::vector<BoundValue> values = {}) {
    Outcome outcome = run(cql, std::move(values));
    if (auto* error = std::get_if<CqlError>(&outcome)) {
      ADD_FAILURE() << cql << " -> " << error->message;
    }
    return outcome;
  }

  Rows rows(const std::string& cql, std::vector<BoundValue> values = {}) {
    Outcome outcome = ok(cql, std::move(values));
    if (auto* rows = std::get_if<Rows>(&outcome)) return *rows;
    ADD_FAILURE() << cql << " returned no rows";
    return {};
  }

  CqlError error(const std::string& cql, std::vector<BoundValue> values = {}) {
    Outcome outcome = run(cql, std::move(values));
    if (auto* error = std::get_if<CqlError>(&outcome)) return *error;
    ADD_FAILURE() << cql << " did not fail";
    return {};
  }

  // Rows as cqlsh would print each value, "null" for null.
  static std::vector<std::vector<std::string>> formatted(const Rows& rows) {
    std::vector<std::vector<std::string>> out;
    for (const auto& row : rows.rows) {
      std::vector<std::string> line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        line.push_back(row[i] ? runnel::cql::format(rows.columns[i].type, *row[i]) : "null");
      }
      out.push_back(std::move(line));
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Session> session_;
};

}  // namespace runnel::store::testing
