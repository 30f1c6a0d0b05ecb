#include "sinks/cql/cql_client.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "cql/wire_reader.h"
#include "scripted_node.h"

namespace runnel::sinks {
namespace {

using namespace std::chrono_literals;

CqlClientOptions options_for(const ScriptedNode& node) {
  CqlClientOptions options;
  options.contact_points = {node.endpoint()};
  options.first_backoff = 10ms;
  options.max_backoff = 50ms;
  options.give_up_after = 5s;
  return options;
}

std::unique_ptr<CqlClient> connect_to(const ScriptedNode& node, CqlClientOptions options = {}) {
  if (options.contact_points.empty()) options = options_for(node);
  auto client = CqlClient::connect(options);
  EXPECT_TRUE(client.is_ok()) << client.status().to_string();
  return client ? std::move(client).value() : nullptr;
}

std::string echoed(const Result<CqlResponse>& response) {
  if (!response) return "<" + response.status().to_string() + ">";
  if (const auto* error = std::get_if<store::CqlError>(&*response))
    return "<" + describe(*error) + ">";
  const auto* rows = std::get_if<store::Rows>(&*response);
  if (rows == nullptr || rows->rows.size() != 1 || !rows->rows[0][0]) return "<not one row>";
  return *rows->rows[0][0];
}

TEST(CqlClient, QueriesGetTheirRowsAndUseSetsTheKeyspace) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  EXPECT_EQ(echoed(client->query("ECHO hello")), "hello");
  auto used = client->query("USE ks");
  ASSERT_TRUE(used.is_ok());
  EXPECT_EQ(client->keyspace(), "ks");
}

TEST(CqlClient, ManyRequestsInFlightEachGetTheirOwnAnswer) {
  ScriptedNode node;
  node.start();
  auto options = options_for(node);
  options.connections_per_node = 1;
  auto client = connect_to(node, options);
  ASSERT_TRUE(client);
  // Later requests sleep less, so answers come back out of order.
  std::vector<PendingRequest> in_flight;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 64; ++i) {
    std::string cql = "SLEEP " + std::to_string(100 - i) + " r" + std::to_string(i);
    in_flight.push_back(
        client->send(CqlRequest{cql::Opcode::kQuery, query_body(cql, {}), false, {}}));
  }
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(echoed(client->wait(std::move(in_flight[i]))), "r" + std::to_string(i));
  }
  // One after another they would take over 4 s; the server runs 8 at once.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(CqlClient, PreparedStatementsAreExecutedAndPreparedAgainWhenTheNodeForgetsThem) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  auto statement = client->prepare("SELECT echo FROM t WHERE k = ?");
  ASSERT_TRUE(statement.is_ok()) << statement.status().to_string();
  store::QueryParameters parameters;
  parameters.values = {store::BoundValue::set("bound")};
  EXPECT_EQ(echoed(client->execute(*statement, parameters, false)), "bound");

  node.store.forget_prepared();
  EXPECT_EQ(echoed(client->execute(*statement, parameters, false)), "bound");
  std::vector<BatchEntry> entries = {{*statement, {store::BoundValue::set("a")}}};
  node.store.forget_prepared();
  auto batch = client->wait(client->send(CqlClient::batch_request(
      cql::BatchType::kUnlogged, entries, cql::Consistency::kOne, std::nullopt, false)));
  ASSERT_TRUE(batch.is_ok());
  EXPECT_TRUE(std::holds_alternative<store::Void>(*batch));
  std::lock_guard lock(node.store.mutex);
  EXPECT_EQ(node.store.prepares, 3);
}

// As the drivers do, an EXECUTE asks for rows without their column specs
// when PREPARE gave them; the answer still names its columns.
TEST(CqlClient, PreparedRowsComeWithoutMetadataAndGetThePreparedColumns) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  auto statement = client->prepare("SELECT echo FROM t WHERE k = ?");
  ASSERT_TRUE(statement.is_ok()) << statement.status().to_string();
  ASSERT_EQ((*statement)->prepared.result_columns.size(), 1u);
  const std::string body = CqlClient::execute_request(*statement, {}, false).body;
  cql::WireReader in(body);
  in.read_short_bytes();
  in.read_consistency();
  EXPECT_EQ(in.read_byte() & cql::kQuerySkipMetadata, cql::kQuerySkipMetadata);

  store::QueryParameters parameters;
  parameters.values = {store::BoundValue::set("bound")};
  auto answer = client->execute(*statement, parameters, false);
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  const auto* rows = std::get_if<store::Rows>(&*answer);
  ASSERT_NE(rows, nullptr);
  ASSERT_EQ(rows->columns.size(), 1u);
  EXPECT_EQ(rows->columns[0].name, "echo");
  EXPECT_EQ(rows->columns[0].type, cql::DataType::of(cql::TypeKind::kVarchar));
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->rows[0][0], "bound");
}

TEST(CqlClient, BatchesArriveWithTypeValuesConsistencyAndTimestamp) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  auto statement = client->prepare("INSERT INTO t (k, v) VALUES (?, ?)");
  ASSERT_TRUE(statement.is_ok());
  std::vector<BatchEntry> entries;
  for (int i = 0; i < 3; ++i) {
    entries.push_back({*statement,
                       {store::BoundValue::set("k" + std::to_string(i)),
                        i == 1 ? store::BoundValue::null() : store::BoundValue::set("v")}});
  }
  auto response = client->wait(client->send(CqlClient::batch_request(
      cql::BatchType::kUnlogged, entries, cql::Consistency::kLocalQuorum, 1234567, true)));
  ASSERT_TRUE(response.is_ok());
  std::lock_guard lock(node.store.mutex);
  ASSERT_EQ(node.store.batches.size(), 1u);
  const auto& batch = node.store.batches[0];
  EXPECT_EQ(batch.type, cql::BatchType::kUnlogged);
  EXPECT_EQ(batch.consistency, cql::Consistency::kLocalQuorum);
  EXPECT_EQ(batch.timestamp, 1234567);
  ASSERT_EQ(batch.statements.size(), 3u);
  EXPECT_TRUE(batch.statements[2].prepared);
  EXPECT_EQ(batch.statements[2].query_or_id, (*statement)->prepared.id);
  EXPECT_EQ(batch.statements[2].values[0].bytes, "k2");
  EXPECT_EQ(batch.statements[1].values[1].state, store::BoundValue::State::kNull);
}

TEST(CqlClient, OverloadedAndUnavailableAreRetriedUntilTheyPassOrTimeRunsOut) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  auto passed = client->query("FAIL 1001 3");  // Overloaded three times
  ASSERT_TRUE(passed.is_ok());
  EXPECT_TRUE(std::holds_alternative<store::Void>(*passed));

  auto options = options_for(node);
  options.give_up_after = 100ms;
  auto impatient = connect_to(node, options);
  ASSERT_TRUE(impatient);
  auto failed = impatient->query("FAIL 1000 1000");  // Unavailable, always
  ASSERT_TRUE(failed.is_ok());
  ASSERT_TRUE(std::holds_alternative<store::CqlError>(*failed));
  EXPECT_EQ(std::get<store::CqlError>(*failed).code, cql::ErrorCode::kUnavailable);
  std::lock_guard lock(node.store.mutex);
  EXPECT_GT(node.store.runs["FAIL 1000 1000"], 1);
}

TEST(CqlClient, RequestStopEndsTheRetriesWithTheFailureTheyWereRetrying) {
  ScriptedNode node;
  node.start();
  auto options = options_for(node);
  options.give_up_after = 60s;
  auto client = connect_to(node, options);
  ASSERT_TRUE(client);
  auto failed = std::async(std::launch::async, [&] {
    return client->query("FAIL 1000 1000");  // Unavailable, always
  });
  std::this_thread::sleep_for(200ms);
  client->request_stop();
  ASSERT_EQ(failed.wait_for(10s), std::future_status::ready);  // not after 60 s
  auto answer = failed.get();
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(answer.status().message().find("stopped before retrying"), std::string::npos)
      << answer.status().message();
  // And for good: the next failure is not retried either.
  auto again = client->query("FAIL 1000 1000");
  EXPECT_EQ(again.status().code(), StatusCode::kUnavailable);
  std::lock_guard lock(node.store.mutex);
  EXPECT_LT(node.store.runs["FAIL 1000 1000"], 20);
}

TEST(CqlClient, WriteTimeoutsAreRetriedOnlyForIdempotentRequests) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  auto once = client->query("FAIL 1100 1", {}, false);
  ASSERT_TRUE(once.is_ok());
  ASSERT_TRUE(std::holds_alternative<store::CqlError>(*once));
  EXPECT_EQ(std::get<store::CqlError>(*once).code, cql::ErrorCode::kWriteTimeout);

  auto retried = client->query("FAIL 1100 2", {}, true);
  ASSERT_TRUE(retried.is_ok());
  EXPECT_TRUE(std::holds_alternative<store::Void>(*retried));
  // A statement error is never retried.
  auto invalid = client->query("FAIL 2200 1", {}, true);
  ASSERT_TRUE(std::holds_alternative<store::CqlError>(*invalid));
  std::lock_guard lock(node.store.mutex);
  EXPECT_EQ(node.store.runs["FAIL 1100 1"], 1);
  EXPECT_EQ(node.store.runs["FAIL 1100 2"], 3);
  EXPECT_EQ(node.store.runs["FAIL 2200 1"], 1);
}

TEST(CqlClient, ASlowAnswerTimesOutAndTheConnectionServesTheNextRequest) {
  ScriptedNode node;
  node.start();
  auto options = options_for(node);
  options.connection.request_timeout = 200ms;
  options.connections_per_node = 1;
  auto client = connect_to(node, options);
  ASSERT_TRUE(client);
  auto slow = client->query("SLEEP 1000 late", {}, false);
  ASSERT_FALSE(slow.is_ok());
  EXPECT_EQ(slow.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(echoed(client->query("ECHO next")), "next");
  // The late answer, when it comes, is not taken for another request's.
  std::this_thread::sleep_for(900ms);
  EXPECT_EQ(echoed(client->query("ECHO after")), "after");
}

TEST(CqlClient, IdempotentRequestsSurviveANodeRestartAndOthersReportTheLoss) {
  ScriptedNode node;
  node.start();
  auto client = connect_to(node);
  ASSERT_TRUE(client);
  std::uint16_t port = node.endpoint().port;
  PendingRequest lost =
      client->send(CqlRequest{cql::Opcode::kQuery, query_body("SLEEP 300 lost", {}), false, {}});
  PendingRequest kept =
      client->send(CqlRequest{cql::Opcode::kQuery, query_body("SLEEP 300 kept", {}), true, {}});
  std::this_thread::sleep_for(50ms);
  std::thread restart([&] {
    node.stop();
    std::this_thread::sleep_for(300ms);
    node.start(port);
  });
  auto lost_answer = client->wait(std::move(lost));
  auto kept_answer = client->wait(std::move(kept));
  restart.join();
  // The server closed the connection while both ran: the one that is not
  // idempotent reports the loss, the idempotent one ran again and answered.
  ASSERT_FALSE(lost_answer.is_ok());
  EXPECT_EQ(lost_answer.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(echoed(kept_answer), "kept");
  {
    std::lock_guard lock(node.store.mutex);
    EXPECT_EQ(node.store.runs["SLEEP 300 lost"], 1);
    EXPECT_EQ(node.store.runs["SLEEP 300 kept"], 2);
  }
  EXPECT_EQ(echoed(client->query("ECHO again")), "again");
}

TEST(CqlClient, UnreachableContactPointsAreNamedAndAReachableOneIsUsed) {
  ScriptedNode node;
  node.start();
  ScriptedNode gone;
  gone.start();
  Endpoint dead = gone.endpoint();
  gone.stop();

  CqlClientOptions options = options_for(node);
  options.contact_points = {dead};
  auto refused = CqlClient::connect(options);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message(),
            "cql: cannot connect to " + dead.to_string() + ": Connection refused");

  options.contact_points = {dead, node.endpoint()};
  auto client = connect_to(node, options);
  ASSERT_TRUE(client);
  EXPECT_EQ(echoed(client->query("ECHO via second")), "via second");
}

TEST(CqlClient, PasswordAuthenticatorGetsTheCredentials) {
  ScriptedNode node(store::server::Credentials{"runnel", "s3cret"});
  node.start();
  CqlClientOptions options = options_for(node);
  auto missing = CqlClient::connect(options);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("requires credentials"), std::string::npos);

  options.connection.user = "runnel";
  options.connection.password = "wrong";
  auto rejected = CqlClient::connect(options);
  ASSERT_FALSE(rejected.is_ok());
  EXPECT_NE(rejected.status().message().find("AuthenticationFailed"), std::string::npos)
      << rejected.status().message();

  options.connection.password = "s3cret";
  auto client = connect_to(node, options);
  ASSERT_TRUE(client);
  EXPECT_EQ(echoed(client->query("ECHO in")), "in");
}

TEST(ContactPoints, ParseHostsPortsAndDefaults) {
  auto points = parse_contact_points("10.0.0.1:9043, cassandra ,[::1]:9044,[::1],::1");
  ASSERT_TRUE(points.is_ok()) << points.status().to_string();
  ASSERT_EQ(points->size(), 5u);
  EXPECT_EQ((*points)[0].to_string(), "10.0.0.1:9043");
  EXPECT_EQ((*points)[1].to_string(), "cassandra:9042");
  EXPECT_EQ((*points)[2].to_string(), "[::1]:9044");
  EXPECT_EQ((*points)[3].to_string(), "[::1]:9042");
  EXPECT_EQ((*points)[4].to_string(), "[::1]:9042");
  EXPECT_EQ(parse_contact_points("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parse_contact_points("host:99999").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parse_contact_points("host:0").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace runnel::sinks
