// The Cassandra sink as a command-line program, for the integration tests
// (tests/integration/cql_sink_test.py) and rough throughput figures: it
// opens a CassandraSink like a streaming job does, resumes after the offset
// open() returns and writes numbered rows in batches, one offset per row of
// the single partition 0 of topic "users_created".
//
//   cassandra_sink_writer --cassandra HOST:PORT --job JOB --rows-per-batch M
//       --until-offset N [--keyspace K] [--table T] [--schema all_types|created_user]
//       [--from-offset F] [--give-up-seconds S] [--rows-per-request R]
//       [--requests-in-flight I] [--connections C]
//
// Prints "stored <next offset or -1>" after open(), "acked <next offset>"
// after each acknowledged write, and "done <rows> rows <seconds> s" at the
// end. --from-offset replays from F whatever is stored. Exit 1 on failure.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "sinks/cql/cassandra_sink.h"

namespace {

using runnel::stream::FieldType;

// Every type the sink maps, and a nullable field that is null on every
// third row.
runnel::stream::Schema all_types_schema() {
  return {"all_types",
          {{"id", FieldType::kUuid, true},
           {"seq", FieldType::kBigint, true},
           {"n", FieldType::kInt},
           {"score", FieldType::kDouble},
           {"active", FieldType::kBoolean},
           {"name", FieldType::kText},
           {"at", FieldType::kTimestamp},
           {"note", FieldType::kText}},
          {"id"}};
}

std::string uuid_of(long long i) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx", i);
  return text;
}

runnel::stream::Row row_of(const runnel::stream::Schema& schema, long long i) {
  using runnel::stream::Value;
  if (schema.name == "all_types") {
    return {{uuid_of(i), int64_t{i}, int64_t{i % 1000 - 500}, static_cast<double>(i) / 4.0,
             i % 2 == 0, "user-" + std::to_string(i) + " \xC3\xBCn\xC3\xAF",
             int64_t{1700000000000000 + i * 1000},
             i % 3 == 0 ? Value{} : Value{"note " + std::to_string(i)}}};
  }
  std::string n = std::to_string(i);
  return {{uuid_of(i), "First" + n, "Last" + n, i % 2 ? "male" : "female",
           n + " Main Street, Springfield, Oregon, United States", "9" + n,
           "user" + n + "@example.com", "user" + n, int64_t{i * 1000000},
           int64_t{1600000000000000 + i}, "555-" + n,
           "https://randomuser.me/api/portraits/med/men/" + std::to_string(i % 100) + ".jpg"}};
}

}  // namespace

int main(int argc, char** argv) {
  runnel::sinks::CassandraSinkConfig config;
  std::string job = "writer";
  std::string schema_name = "all_types";
  long long rows_per_batch = 100;
  long long until_offset = 0;
  long long from_offset = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--cassandra") {
      config.contact_points = value;
    } else if (flag == "--job") {
      job = value;
    } else if (flag == "--keyspace") {
      config.target.keyspace = value;
    } else if (flag == "--table") {
      config.target.table = value;
    } else if (flag == "--schema") {
      schema_name = value;
    } else if (flag == "--rows-per-batch") {
      rows_per_batch = std::stoll(value);
    } else if (flag == "--until-offset") {
      until_offset = std::stoll(value);
    } else if (flag == "--from-offset") {
      from_offset = std::stoll(value);
    } else if (flag == "--rows-per-request") {
      config.rows_per_request = std::stoi(value);
    } else if (flag == "--requests-in-flight") {
      config.max_requests_in_flight = std::stoi(value);
    } else if (flag == "--connections") {
      config.connections_per_node = std::stoi(value);
    } else if (flag == "--give-up-seconds") {
      config.give_up_after = std::chrono::seconds(std::stoll(value));
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  runnel::stream::Schema schema =
      schema_name == "all_types" ? all_types_schema() : runnel::stream::created_user_schema();

  runnel::sinks::CassandraSink sink(config);
  auto stored = sink.open(schema, job);
  if (!stored) {
    std::fprintf(stderr, "open: %s\n", stored.status().to_string().c_str());
    return 1;
  }
  long long next = stored->empty() ? -1 : stored->front().next_offset;
  std::printf("stored %lld\n", next);
  std::fflush(stdout);
  if (from_offset >= 0) next = from_offset;
  if (next < 0) next = 0;

  auto started = std::chrono::steady_clock::now();
  long long written = 0;
  for (long long batch_id = 0; next < until_offset; ++batch_id) {
    runnel::stream::Batch batch;
    batch.id = batch_id;
    long long end = std::min(next + rows_per_batch, until_offset);
    for (long long i = next; i < end; ++i) batch.rows.push_back(row_of(schema, i));
    batch.end_offsets = {{"users_created", 0, end}};
    if (runnel::Status status = sink.write(batch); !status.is_ok()) {
      std::fprintf(stderr, "write: %s\n", status.to_string().c_str());
      return 1;
    }
    written += end - next;
    next = end;
    std::printf("acked %lld\n", next);
    std::fflush(stdout);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("done %lld rows %.3f s\n", written, seconds);
  return 0;
}
