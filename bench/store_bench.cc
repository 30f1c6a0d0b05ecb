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
// thread and one connection (a minimal blocking client, ReadConnection)
// per CONNECTIONS, each keeping IN_FLIGHT reads under way on as many stream
// ids, the next on a stream as soon as its answer arrives (IN_FLIGHT 1:
// each waits for its answer before the next request; more: pipelined, as
// drivers' async APIs do); the figures are requests/s and the latency
// percentiles over all requests, from send to answer.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/endpoint.h"
#include "cql/frame.h"
#include "cql/value.h"
#include "datagen/created_user.h"
#include "datagen/user_generator.h"
#include "sinks/cql/cassandra_sink.h"
#include "sinks/cql/cql_client.h"
#include "sinks/cql/cql_messages.h"
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

// One connection of the read load: a blocking socket speaking just enough
// of the protocol (STARTUP, PREPARE, EXECUTE), so that the load costs little
// next to what it measures. (CqlClient, with its reader thread and futures,
// costs about as much CPU per read as the store does.)
class ReadConnection {
 public:
  explicit ReadConnection(const Endpoint& endpoint) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(endpoint.port);
    if (fd_ < 0 || ::inet_pton(AF_INET, endpoint.host.c_str(), &address.sin_addr) != 1 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      fail("cannot connect to " + endpoint.to_string());
    }
    int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  ~ReadConnection() { ::close(fd_); }

  void send(cql::Opcode opcode, std::int16_t stream, std::string_view body) {
    cql::FrameHeader header;
    header.stream = stream;
    header.opcode = opcode;
    const std::string frame = cql::encode_frame(header, body);
    for (std::size_t sent = 0; sent < frame.size();) {
      ssize_t n = ::send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) fail("sending a request failed");
      sent += static_cast<std::size_t>(n);
    }
  }

  // The next answer's header and body.
  std::pair<cql::FrameHeader, std::string> receive_frame() {
    while (true) {
      if (buffer_.size() - begin_ >= cql::kFrameHeaderSize) {
        auto header = cql::decode_frame_header(std::string_view(buffer_).substr(begin_));
        const std::size_t size = cql::kFrameHeaderSize + header.body_length;
        if (buffer_.size() - begin_ >= size) {
          std::string body = buffer_.substr(begin_ + cql::kFrameHeaderSize, header.body_length);
          begin_ += size;
          return {header, std::move(body)};
        }
      }
      buffer_.erase(0, begin_);
      begin_ = 0;
      char chunk[64 << 10];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) fail("the store closed the connection");
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // The next RESULT or ERROR: its stream id and decoded body.
  std::pair<std::int16_t, sinks::CqlResponse> receive() {
    auto [header, body] = receive_frame();
    auto response = sinks::decode_response(header.opcode, body);
    if (!response.is_ok()) fail(response.status().message());
    return {header.stream, std::move(response).value()};
  }

 private:
  int fd_ = -1;
  std::string buffer_;
  std::size_t begin_ = 0;
};

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
  const Endpoint endpoint = endpoints->front();

  std::atomic<bool> failed{false};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
  std::vector<std::thread> readers;
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  for (int reader = 0; reader < connections; ++reader) {
    readers.emplace_back([&, reader] {
      ReadConnection connection(endpoint);
      connection.send(cql::Opcode::kStartup, 0, sinks::startup_body());
      if (connection.receive_frame().first.opcode != cql::Opcode::kReady) {
        fail("the store did not answer STARTUP with READY");
      }
      connection.send(cql::Opcode::kPrepare, 0,
                      sinks::prepare_body("SELECT first_name, last_name, email FROM "
                                          "spark_streams.created_users WHERE id = ?"));
      auto prepared = connection.receive().second;
      const auto* statement = std::get_if<store::Prepared>(&prepared);
      if (statement == nullptr) fail("the store did not prepare the point read");
      const std::string id = statement->id;

      auto& mine = latencies[static_cast<std::size_t>(reader)];
      std::size_t next = static_cast<std::size_t>(reader) * 7919 % ids.size();
      // Every stream id carries one read at a time; `in_flight` of them
      // are busy at once.
      std::vector<Clock::time_point> sent(static_cast<std::size_t>(in_flight));
      auto send_next = [&](std::int16_t stream) {
        store::QueryParameters parameters;
        parameters.consistency = cql::Consistency::kLocalOne;
        parameters.values = {store::BoundValue::set(ids[next])};
        next = (next + 104729) % ids.size();
        sent[static_cast<std::size_t>(stream)] = Clock::now();
        connection.send(cql::Opcode::kExecute, stream,
                        sinks::execute_body(id, parameters, /*skip_metadata=*/true));
      };
      for (int stream = 0; stream < in_flight; ++stream) {
        send_next(static_cast<std::int16_t>(stream));
      }
      for (int waiting = in_flight; waiting > 0 && !failed;) {
        auto [stream, answer] = connection.receive();
        const auto received = Clock::now();
        const auto* rows = std::get_if<store::Rows>(&answer);
        if (stream < 0 || stream >= in_flight || rows == nullptr || rows->rows.size() != 1) {
          const auto* error = std::get_if<store::CqlError>(&answer);
          std::fprintf(stderr, "store_bench: a point read found %s\n",
                       error ? error->message.c_str() : "no single row");
          failed = true;
          return;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(
                           received - sent[static_cast<std::size_t>(stream)])
                           .count());
        if (received < deadline) {
          send_next(stream);
        } else {
          --waiting;
        }
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
    const int in_flight = std::stoi(args[4]);
    if (in_flight < 1 || in_flight > 1024) fail("IN_FLIGHT is 1 to 1024");
    read(args[1], std::stoul(args[2]), std::stoi(args[3]), in_flight, std::stoi(args[5]));
  } else {
    std::fprintf(stderr,
                 "usage: store_bench write-cassandra HOST:PORT USERS\n"
                 "       store_bench write-postgres URL USERS\n"
                 "       store_bench read HOST:PORT USERS CONNECTIONS IN_FLIGHT SECONDS\n");
    return 2;
  }
  return 0;
}
