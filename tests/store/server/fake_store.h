// A Store whose sessions answer a few made-up statements, for testing the
// CQL server without the engine:
//   USE <ks>            SetKeyspace
//   KEYSPACE            one row: the session's keyspace
//   SLEEP <ms>          sleeps, then Void
//   CREATE TABLE <t>    SchemaChange CREATED TABLE <keyspace> <t>
//   EXISTS              AlreadyExists for <keyspace>.t
//   THROW               throws
//   anything else       Void
// PREPARE of any text gives id "prepared-id-0001"; EXECUTE of another id is
// Unprepared, but for kPointReadId: a single-partition read, answered with
// Void after noting the thread it ran on.
#pragma once

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "store/session.h"

namespace runnel::store::server {

inline constexpr char kPointReadId[] = "point-read-0001";

class FakeSession : public Session {
 public:
  FakeSession(std::atomic<int>& sessions_opened, std::atomic<std::thread::id>& point_read_thread)
      : point_read_thread_(point_read_thread) {
    ++sessions_opened;
  }

  Outcome query(std::string_view cql, const QueryParameters&) override {
    std::string text(cql);
    if (text.starts_with("USE ")) {
      keyspace_ = text.substr(4);
      if (keyspace_ == "missing")
        return CqlError{cql::ErrorCode::kInvalid, "no keyspace", {}, {}, {}};
      return SetKeyspace{keyspace_};
    }
    if (text == "KEYSPACE") {
      Rows rows;
      rows.columns.push_back(
          {"system", "local", "keyspace", cql::DataType::of(cql::TypeKind::kVarchar)});
      rows.rows.push_back({keyspace_});
      return rows;
    }
    if (text.starts_with("SLEEP ")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(text.substr(6))));
      return Void{};
    }
    if (text.starts_with("CREATE TABLE ")) {
      return SchemaChange{"CREATED", "TABLE", keyspace_, text.substr(13)};
    }
    if (text == "EXISTS") {
      return CqlError{cql::ErrorCode::kAlreadyExists, "exists", keyspace_, "t", {}};
    }
    if (text == "THROW") throw std::runtime_error("the fake store broke");
    return Void{};
  }

  std::variant<Prepared, CqlError> prepare(std::string_view) override {
    Prepared prepared;
    prepared.id = "prepared-id-0001";
    prepared.bound_columns.push_back({"ks", "t", "id", cql::DataType::of(cql::TypeKind::kInt)});
    prepared.partition_key_indexes = {0};
    return prepared;
  }

  Outcome execute(std::string_view id, const QueryParameters&) override {
    if (id == kPointReadId) {
      point_read_thread_ = std::this_thread::get_id();
      return Void{};
    }
    if (id != "prepared-id-0001") {
      return CqlError{cql::ErrorCode::kUnprepared, "unknown id", {}, {}, std::string(id)};
    }
    return Void{};
  }

  Outcome batch(cql::BatchType, const std::vector<BatchStatement>&, cql::Consistency,
                std::optional<std::int64_t>) override {
    return Void{};
  }

  const std::string& keyspace() const override { return keyspace_; }

 private:
  std::string keyspace_;
  std::atomic<std::thread::id>& point_read_thread_;
};

class FakeStore : public Store {
 public:
  std::unique_ptr<Session> open_session() override {
    return std::make_unique<FakeSession>(sessions_opened, point_read_thread);
  }
  bool is_single_partition_read(std::string_view id) const override { return id == kPointReadId; }
  Status close() override { return Status::ok(); }

  std::atomic<int> sessions_opened{0};
  std::atomic<std::thread::id> point_read_thread;  // where kPointReadId last ran
};

}  // namespace runnel::store::server
