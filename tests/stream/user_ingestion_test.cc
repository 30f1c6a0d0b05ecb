// UserIngestion without a cluster: its checks, its failure to reach one, and
// its reports. Producing to a real broker is tested end to end in
// tests/integration/ingest_test.py.
#include "stream/user_ingestion.h"

#include <gtest/gtest.h>

#include <thread>

namespace runnel::stream {
namespace {

using namespace std::chrono_literals;

// Nothing listens on port 1 of the loopback: connections are refused.
IngestionOptions unreachable_cluster() {
  IngestionOptions options;
  options.kafka = {{"bootstrap.servers", "127.0.0.1:1"}};
  options.connect_timeout = 1s;
  return options;
}

TEST(UserIngestion, InvalidOptionsAreInvalidArguments) {
  const std::vector<std::function<void(IngestionOptions&)>> changes = {
      [](IngestionOptions& o) { o.compression = "brotli"; },
      [](IngestionOptions& o) { o.users = -1; },
      [](IngestionOptions& o) { o.duration = -1ms; },
      [](IngestionOptions& o) { o.rate = -5; },
      [](IngestionOptions& o) { o.topic.clear(); },
      [](IngestionOptions& o) { o.source.nationalities = "ZZ"; },
      [](IngestionOptions& o) { o.kafka["no.such.property"] = "1"; },
  };
  for (const auto& change : changes) {
    IngestionOptions options = unreachable_cluster();
    change(options);
    UserIngestion ingestion(options);
    const Status status = ingestion.run();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.to_string();
  }
}

TEST(UserIngestion, UnreachableClusterFailsWithinTheConnectTimeout) {
  UserIngestion ingestion(unreachable_cluster());
  const auto start = std::chrono::steady_clock::now();
  const Status status = ingestion.run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("cannot reach Kafka at 127.0.0.1:1"), std::string::npos)
      << status.message();
  EXPECT_EQ(ingestion.progress().produced, 0);
}

TEST(UserIngestion, StopWhileConnectingEndsWithNothingProduced) {
  IngestionOptions options = unreachable_cluster();
  options.connect_timeout = 60s;
  UserIngestion ingestion(options);
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    ingestion.stop();
  });
  const auto start = std::chrono::steady_clock::now();
  const Status status = ingestion.run();
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(ingestion.progress().produced, 0);
}

TEST(UserIngestion, ReportsBeforeRunning) {
  UserIngestion ingestion(IngestionOptions{});
  const IngestionProgress progress = ingestion.progress();
  EXPECT_EQ(progress.produced, 0);
  EXPECT_EQ(progress.elapsed.count(), 0);
  EXPECT_EQ(progress.users_per_second(), 0);
  EXPECT_EQ(ingestion.summary(),
            "produced 0 users to users_created in 0.0 s (0 users/s), 0 failed");
  EXPECT_EQ(ingestion.status_line(),
            "users_created: 0 produced, 0 delivered, 0 failed, 0.0 s, 0 users/s");
}

TEST(IngestionProgress, UsersPerSecondCountsDeliveredUsers) {
  IngestionProgress progress;
  progress.produced = 1000;
  progress.delivered = 600;
  progress.elapsed = 2s;
  EXPECT_DOUBLE_EQ(progress.users_per_second(), 300);
}

TEST(WithThousands, GroupsDigitsByThree) {
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1000), "1,000");
  EXPECT_EQ(with_thousands(312000), "312,000");
  EXPECT_EQ(with_thousands(1234567), "1,234,567");
  EXPECT_EQ(with_thousands(-45678), "-45,678");
}

}  // namespace
}  // namespace runnel::stream
