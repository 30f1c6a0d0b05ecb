// The CQL store's benchmark client (run by bench/store.py, not by the tests).
//
//   store_bench write-cassandra HOST:PORT USERS   created users through the
//                                                 Cassandra sink
//   store_bench write-postgres URL USERS          the same rows through the
//                                                 PostgreSQL sink (reference)
//   store_bench read HOST:PORT USERS CONNECTIONS IN_FLIGHT SECONDS
//                                                 point reads by primary key
//
// The users are the generator's for seed "store-bench", so the reads look up
// ids the writes stored. Writes go in the streaming job's full micro-batches
// (BatchLimits::max_records rows), as it hands them to a sink. Reads: one
// thread and one connection per CONNECTIONS, each keeping IN_FLIGHT reads
// sent and waiting for the oldest (IN_FLIGHT 1: each waits for its answer
// before the next request; more: pipelined on the connection's stream ids,
// as drivers' async APIs do); the figures are requests/s and the latency
// percentiles over all requests, from send to answer.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cql/value.h"
#include "datagen/created_user.h"
#include "datagen/user_generator.h"
#include "sinks/cql/cassandra_sink.h"
#include "sinks/cql/cql_client.h"
#include "sinks/postgres_sink.h"
#include "stream/query_options.h"
#include "stream/record_decoder.h"

namespace {

using namespace runnel;
using Clock = std::chrono::steady_clock;

// A full micro-batch of the streaming job.
constexpr auto kBatchRows = static_cast<std::size_t>(stream::BatchLimits{}.max_records);

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "store_bench: %s\n", what.c_str());
  std::exit(1);
}

// The created users of seed "store-bench", decoded as the streaming job
// decodes them.
std::vector<stream::Row> created_users(std::size_t count) {
  datagen::GeneratorOptions options;
  options.seed = "store-bench";
  options.login_hashes = false;
  datagen::UserGenerator generator(options);
  stream::RecordDecoder decoder(stream::created_user_schema());
  std::vector<stream::Row> rows;
  rows.reserve(count);
  datagen::RandomUser user;
  for (std::size_t i = 0; i < count; ++i) {
    generator.next(user);
    auto row = decoder.decode(datagen::to_json(datagen::to_created_user(user)));
    if (!row.is_ok()) fail("decoding a generated user: " + row.status().message());
    rows.push_back(std::move(row).value());
  }
  return rows;
}

void write(stream::Sink& sink, std::size_t count) {
  std::vector<stream::Row> rows = created_users(count);
  if (auto opened = sink.open(stream::created_user_schema(), "store_bench"); !opened.is_ok()) {
    fail("opening the " + sink.name() + " sink: " + opened.status().message());
  }
  const auto started = Clock::now();
  std::int64_t batch_id = 0;
  for (std::size_t first = 0; first < rows.size(); first += kBatchRows) {
    stream::Batch batch;
    batch.id = batch_id++;
    const std::size_t last = std::min(rows.size(), first + kBatchRows);
    batch.rows.assign(rows.begin() + static_cast<std::ptrdiff_t>(first),
                      rows.begin() + static_cast<std::ptrdiff_t>(last));
    batch.end_offsets = {{"users_created", 0, static_cast<std::int64_t>(last)}};
    if (Status written = sink.write(batch); !written.is_ok()) {
      fail("writing batch " + std::to_string(batch.id) + ": " + written.message());
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf("%s sink: %zu rows in %.2f s: %.0f rows/s\n", sink.name().c_str(), rows.size(),
              seconds, static_cast<double>(rows.size()) / seconds);
}

double percentile(std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

void read(const std::string& contact_points, std::size_t count, int connections, int in_flight,
          int seconds) {
  std::vector<std::string> ids;
  for (const stream::Row& row : created_users(count)) {
    auto bytes = cql::encode_uuid(std::get<std::string>(row.values.at(0)));
    if (!bytes.is_ok()) fail("a generated id is no uuid");
    ids.push_back(std::move(bytes).value());
  }
  auto endpoints = sinks::parse_contact_points(contact_points);
  if (!endpoints.is_ok()) fail(endpoints.status().message());

  std::atomic<bool> failed{false};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
  std::vector<std::thread> readers;
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  for (int reader = 0; reader < connections; ++reader) {
    readers.emplace_back([&, reader] {
      sinks::CqlClientOptions options;
      options.contact_points = *endpoints;
      options.connections_per_node = 1;
      auto client = sinks::CqlClient::connect(options);
      if (!client.is_ok()) fail(client.status().message());
      auto select = (*client)->prepare(
          "SELECT first_name, last_name, email FROM spark_streams.created_users WHERE id = ?");
      if (!select.is_ok()) fail(select.status().message());
      auto& mine = latencies[static_cast<std::size_t>(reader)];
      std::size_t next = static_cast<std::size_t>(reader) * 7919 % ids.size();
      // Up to `in_flight` reads wait for their answers, oldest first.
      std::deque<std::pair<sinks::PendingRequest, Clock::time_point>> waiting;
      auto send_next = [&] {
        store::QueryParameters parameters;
        parameters.consistency = cql::Consistency::kLocalOne;
        parameters.values = {store::BoundValue::set(ids[next])};
        next = (next + 104729) % ids.size();
        const auto sent = Clock::now();
        waiting.emplace_back(
            (*client)->send(sinks::CqlClient::execute_request(*select, parameters, true)), sent);
      };
      while (!failed) {
        while (waiting.size() < static_cast<std::size_t>(in_flight) && Clock::now() < deadline) {
          send_next();
        }
        if (waiting.empty()) break;
        auto [pending, sent] = std::move(waiting.front());
        waiting.pop_front();
        auto answer = (*client)->wait(std::move(pending));
        const auto received = Clock::now();
        const auto* rows = answer.is_ok() ? std::get_if<store::Rows>(&*answer) : nullptr;
        if (rows == nullptr || rows->rows.size() != 1) {
          std::fprintf(stderr, "store_bench: a point read found %s\n",
                       answer.is_ok() ? "no single row" : answer.status().message().c_str());
          failed = true;
          return;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(received - sent).count());
      }
    });
  }
  for (auto& reader : readers) reader.join();
  if (failed) std::exit(1);
  std::vector<double> all;
  for (const auto& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  std::printf(
      "point reads, %d connections x %d in flight, %d s: %zu reads, %.0f reads/s, p50 %.2f ms, "
      "p99 %.2f ms, max %.2f ms\n",
      connections, in_flight, seconds, all.size(), static_cast<double>(all.size()) / seconds,
      percentile(all, 0.50), percentile(all, 0.99), all.empty() ? 0.0 : all.back());
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "write-cassandra") {
    sinks::CassandraSinkConfig config;
    config.contact_points = args[1];
    sinks::CassandraSink sink(config);
    write(sink, std::stoul(args[2]));
  } else if (args.size() == 3 && args[0] == "write-postgres") {
    sinks::PostgresSinkConfig config;
    config.url = args[1];
    sinks::PostgresSink sink(config);
    write(sink, std::stoul(args[2]));
  } else if (args.size() == 6 && args[0] == "read") {
    read(args[1], std::stoul(args[2]), std::stoi(args[3]), std::stoi(args[4]), std::stoi(args[5]));
  } else {
    std::fprintf(stderr,
                 "usage: store_bench write-cassandra HOST:PORT USERS\n"
                 "       store_bench write-postgres URL USERS\n"
                 "       store_bench read HOST:PORT USERS CONNECTIONS IN_FLIGHT SECONDS\n");
    return 2;
  }
  return 0;
}
