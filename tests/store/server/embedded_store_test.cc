#include "store/embedded_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cql/wire_reader.h"
#include "frame_client.h"

namespace runnel::store {
namespace {

using server::FrameClient;
using server::query_body;

class EmbeddedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("runnel-embedded-store-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  EmbeddedStoreConfig config() {
    EmbeddedStoreConfig config;
    config.data_dir = data_dir_.string();
    config.server.listen = Endpoint{"127.0.0.1", 0};
    return config;
  }

  // Runs `cql` on a fresh connection; the RESULT kind, or -1 for an ERROR.
  static std::int32_t run(const EmbeddedStore& store, const std::string& cql) {
    FrameClient client(store.endpoint().port);
    client.startup();
    client.send(cql::Opcode::kQuery, query_body(cql), 1);
    auto reply = client.receive();
    if (!reply || reply->header.opcode != cql::Opcode::kResult) return -1;
    cql::WireReader reader(reply->body);
    return reader.read_int();
  }

  std::filesystem::path data_dir_;
};

TEST_F(EmbeddedStoreTest, ServesOnAFreePortAndKeepsDataAcrossARestart) {
  {
    auto store = EmbeddedStore::start(config());
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    EXPECT_NE((*store)->endpoint().port, 0);
    EXPECT_EQ(run(**store,
                  "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
                  "'replication_factor': 1}"),
              5);  // Schema_change
    EXPECT_EQ(run(**store, "CREATE TABLE ks.t (id int PRIMARY KEY, v text)"), 5);
    EXPECT_EQ(run(**store, "INSERT INTO ks.t (id, v) VALUES (1, 'kept')"), 1);  // Void
    EXPECT_TRUE((*store)->stop().is_ok());
    EXPECT_TRUE((*store)->stop().is_ok());  // idempotent
  }
  auto reopened = EmbeddedStore::start(config());
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  FrameClient client((*reopened)->endpoint().port);
  client.startup();
  client.send(cql::Opcode::kQuery, query_body("SELECT v FROM ks.t WHERE id = 1"), 1);
  auto rows = client.receive();
  ASSERT_TRUE(rows);
  EXPECT_NE(rows->body.find("kept"), std::string::npos);
}

TEST_F(EmbeddedStoreTest, ABusyPortIsAClearError) {
  auto first = EmbeddedStore::start(config());
  ASSERT_TRUE(first.is_ok());
  auto taken = config();
  taken.server.listen = (*first)->endpoint();
  taken.data_dir = (data_dir_ / "second").string();
  auto second = EmbeddedStore::start(taken);
  ASSERT_FALSE(second.is_ok());
  EXPECT_NE(second.status().message().find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace runnel::store
