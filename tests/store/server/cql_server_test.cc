#include "store/server/cql_server.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "cql/wire_reader.h"
#include "fake_store.h"
#include "frame_client.h"

namespace runnel::store::server {
namespace {

using cql::Opcode;

// A CqlServer over a FakeStore on an io thread of its own.
class CqlServerTest : public ::testing::Test {
 protected:
  void start(CqlServerConfig config = {}) {
    config.listen = Endpoint{"127.0.0.1", 0};
    server_.emplace(io_, config);
    auto bound = server_->bind();
    ASSERT_TRUE(bound.is_ok()) << bound.status().to_string();
    port_ = bound->port;
    server_->serve(store_);
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (!thread_.joinable()) return;
    std::promise<void> stopped;
    boost::asio::post(io_, [&] {
      server_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    server_->drain();
    io_.stop();
    thread_.join();
  }

  FakeStore store_;
  boost::asio::io_context io_{1};
  std::optional<CqlServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

// The error code and message of an ERROR body.
std::pair<std::int32_t, std::string> error_of(const ReceivedFrame& frame) {
  cql::WireReader reader(frame.body);
  std::int32_t code = reader.read_int();
  return {code, reader.read_string()};
}

std::string keyspace_row_of(const ReceivedFrame& frame) {
  cql::WireReader reader(frame.body);
  EXPECT_EQ(reader.read_int(), 2);  // Rows
  std::int32_t flags = reader.read_int();
  EXPECT_EQ(flags, 1);  // Global_tables_spec
  EXPECT_EQ(reader.read_int(), 1);
  reader.read_string();
  reader.read_string();
  EXPECT_EQ(reader.read_string(), "keyspace");
  reader.read_option();
  EXPECT_EQ(reader.read_int(), 1);
  std::string value = reader.read_bytes().value_or("<null>");
  EXPECT_TRUE(reader.ok()) << reader.error();
  return value;
}

TEST_F(CqlServerTest, OptionsListsTheSupportedVersions) {
  start();
  FrameClient client(port_);
  client.send(Opcode::kOptions, "", 7);
  auto supported = client.receive();
  ASSERT_TRUE(supported);
  EXPECT_EQ(supported->header.opcode, Opcode::kSupported);
  EXPECT_TRUE(supported->header.response);
  EXPECT_EQ(supported->header.stream, 7);
  cql::WireReader reader(supported->body);
  auto options = reader.read_string_multimap();
  EXPECT_EQ(options["CQL_VERSION"], std::vector<std::string>{"3.4.5"});
  EXPECT_EQ(options["PROTOCOL_VERSIONS"], (std::vector<std::string>{"3/v3", "4/v4"}));
}

TEST_F(CqlServerTest, AStatementBeforeStartupIsAProtocolErrorAndTheConnectionGoesOn) {
  start();
  FrameClient client(port_);
  client.send(Opcode::kQuery, query_body("SELECT 1"), 3);
  auto error = client.receive();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.opcode, Opcode::kError);
  EXPECT_EQ(error->header.stream, 3);
  EXPECT_EQ(error_of(*error).first, 0x000A);
  EXPECT_NE(error_of(*error).second.find("expecting STARTUP"), std::string::npos);
  client.startup();
  client.send(Opcode::kQuery, query_body("anything"), 4);
  auto result = client.receive();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->header.opcode, Opcode::kResult);
}

TEST_F(CqlServerTest, PasswordAuthenticatorAcceptsOnlyTheRightCredentials) {
  CqlServerConfig config;
  config.credentials = Credentials{"cassandra", "s3cret"};
  start(config);
  FrameClient client(port_);
  std::string startup;
  cql::WireWriter(startup).write_string_map({{"CQL_VERSION", "3.0.0"}});
  client.send(Opcode::kStartup, startup);
  auto authenticate = client.receive();
  ASSERT_TRUE(authenticate);
  ASSERT_EQ(authenticate->header.opcode, Opcode::kAuthenticate);
  cql::WireReader reader(authenticate->body);
  EXPECT_EQ(reader.read_string(), "org.apache.cassandra.auth.PasswordAuthenticator");

  client.send(Opcode::kQuery, query_body("SELECT 1"), 1);
  auto early = client.receive();
  ASSERT_TRUE(early);
  EXPECT_EQ(error_of(*early).first, 0x000A);

  auto token = [](const std::string& user, const std::string& password) {
    std::string body;
    cql::WireWriter(body).write_bytes(std::string("\0", 1) + user + std::string("\0", 1) +
                                      password);
    return body;
  };
  client.send(Opcode::kAuthResponse, token("cassandra", "wrong"), 2);
  auto refused = client.receive();
  ASSERT_TRUE(refused);
  EXPECT_EQ(error_of(*refused).first, 0x0100);
  client.send(Opcode::kAuthResponse, token("cassandra", "s3cret"), 3);
  auto success = client.receive();
  ASSERT_TRUE(success);
  EXPECT_EQ(success->header.opcode, Opcode::kAuthSuccess);
  client.send(Opcode::kQuery, query_body("anything"), 4);
  auto result = client.receive();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->header.opcode, Opcode::kResult);
}

TEST_F(CqlServerTest, ASlowStatementDoesNotHoldUpTheOnesAfterIt) {
  start();
  FrameClient client(port_);
  client.startup();
  client.send(Opcode::kQuery, query_body("SLEEP 700"), 1);
  client.send(Opcode::kQuery, query_body("KEYSPACE"), 2);
  auto first = client.receive();
  auto second = client.receive();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->header.stream, 2);
  EXPECT_EQ(second->header.stream, 1);
}

// A point read runs on the io thread, so it neither waits for a worker nor
// behind a slow statement on one.
TEST_F(CqlServerTest, ASinglePartitionReadRunsOnTheIoThreadAheadOfASlowStatement) {
  start();
  FrameClient client(port_);
  client.startup();
  client.send(Opcode::kQuery, query_body("SLEEP 700"), 1);
  client.send(Opcode::kExecute, execute_body(kPointReadId), 2);
  auto first = client.receive();
  auto second = client.receive();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->header.stream, 2);
  EXPECT_EQ(first->header.opcode, Opcode::kResult);
  EXPECT_EQ(second->header.stream, 1);
  EXPECT_EQ(store_.point_read_thread.load(), thread_.get_id());
}

// The server reads whatever the socket holds: frames arrive however the
// client and the network cut them, many in one read, one larger than a
// read, one a byte at a time.
TEST_F(CqlServerTest, FramesAreServedHoweverTheyArriveInReads) {
  start();
  FrameClient client(port_);
  client.startup();
  auto frame = [](const std::string& cql, std::int16_t stream) {
    return cql::encode_frame(cql::FrameHeader{4, false, 0, stream, Opcode::kQuery, 0},
                             query_body(cql));
  };
  const std::string big(300 << 10, 'k');
  client.send_raw(frame("USE " + big, 1) + frame("KEYSPACE", 2));
  auto set_keyspace = client.receive();
  auto big_row = client.receive();
  ASSERT_TRUE(set_keyspace && big_row);
  EXPECT_EQ(set_keyspace->header.stream, 1);
  EXPECT_EQ(big_row->header.stream, 2);
  EXPECT_EQ(keyspace_row_of(*big_row), big);

  for (char byte : frame("USE small", 3) + frame("KEYSPACE", 4)) {
    client.send_raw(std::string(1, byte));
  }
  auto small_keyspace = client.receive();
  auto small_row = client.receive();
  ASSERT_TRUE(small_keyspace && small_row);
  EXPECT_EQ(small_keyspace->header.stream, 3);
  EXPECT_EQ(small_row->header.stream, 4);
  EXPECT_EQ(keyspace_row_of(*small_row), "small");
}

TEST_F(CqlServerTest, UseCarriesToEveryStatementOfTheConnection) {
  start();
  FrameClient client(port_);
  client.startup();
  client.send(Opcode::kQuery, query_body("USE spark_streams"), 1);
  // Pipelined behind the USE: all of them must see its keyspace, however
  // many sessions they are spread over.
  for (std::int16_t stream = 2; stream < 42; ++stream) {
    client.send(Opcode::kQuery, query_body(stream % 2 ? "SLEEP 5" : "KEYSPACE"), stream);
  }
  auto set_keyspace = client.receive();
  ASSERT_TRUE(set_keyspace);
  EXPECT_EQ(set_keyspace->header.stream, 1);
  cql::WireReader reader(set_keyspace->body);
  EXPECT_EQ(reader.read_int(), 3);
  EXPECT_EQ(reader.read_string(), "spark_streams");
  for (int i = 0; i < 40; ++i) {
    auto frame = client.receive();
    ASSERT_TRUE(frame);
    if (frame->header.stream % 2 == 0) {
      EXPECT_EQ(keyspace_row_of(*frame), "spark_streams");
    }
  }
  EXPECT_GT(store_.sessions_opened.load(), 1);
}

TEST_F(CqlServerTest, SchemaChangesArePushedToRegisteredConnections) {
  start();
  FrameClient listener(port_);
  listener.startup();
  std::string events;
  cql::WireWriter(events).write_string_list({"SCHEMA_CHANGE", "STATUS_CHANGE"});
  listener.send(Opcode::kRegister, events, 9);
  auto ready = listener.receive();
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->header.opcode, Opcode::kReady);

  FrameClient other(port_);
  other.startup();
  other.send(Opcode::kQuery, query_body("USE ks"), 1);
  ASSERT_TRUE(other.receive());
  other.send(Opcode::kQuery, query_body("CREATE TABLE users"), 2);
  auto result = other.receive();
  ASSERT_TRUE(result);
  cql::WireReader result_reader(result->body);
  EXPECT_EQ(result_reader.read_int(), 5);  // Schema_change

  auto event = listener.receive();
  ASSERT_TRUE(event);
  EXPECT_EQ(event->header.opcode, Opcode::kEvent);
  EXPECT_EQ(event->header.stream, -1);
  cql::WireReader reader(event->body);
  EXPECT_EQ(reader.read_string(), "SCHEMA_CHANGE");
  EXPECT_EQ(reader.read_string(), "CREATED");
  EXPECT_EQ(reader.read_string(), "TABLE");
  EXPECT_EQ(reader.read_string(), "ks");
  EXPECT_EQ(reader.read_string(), "users");
}

TEST_F(CqlServerTest, AnUnsupportedVersionGetsAnErrorTheDriverDowngradesOn) {
  start();
  FrameClient client(port_);
  client.send(Opcode::kOptions, "", 0, 5);
  auto error = client.receive();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.version, 4);
  EXPECT_EQ(error->header.opcode, Opcode::kError);
  auto [code, message] = error_of(*error);
  EXPECT_EQ(code, 0x000A);
  EXPECT_NE(message.find("unsupported protocol version (5)"), std::string::npos) << message;
  EXPECT_FALSE(client.receive());  // then closed
}

TEST_F(CqlServerTest, AVersion2ClientReadsTheRefusalInItsOwnHeaderFormat) {
  start();
  FrameClient client(port_);
  // OPTIONS in v2: an 8-byte header, a one-byte stream id.
  client.send_raw(std::string("\x02\x00\x05\x05\x00\x00\x00\x00", 8));
  auto header = client.receive_raw(8);
  ASSERT_TRUE(header);
  EXPECT_EQ(static_cast<std::uint8_t>((*header)[0]), 0x82);
  EXPECT_EQ((*header)[2], 5);  // the stream
  EXPECT_EQ((*header)[3], 0);  // ERROR
  std::uint32_t length = 0;
  for (int i = 4; i < 8; ++i) length = (length << 8) | static_cast<std::uint8_t>((*header)[i]);
  auto body = client.receive_raw(length);
  ASSERT_TRUE(body);
  EXPECT_NE(body->find("unsupported protocol version (2)"), std::string::npos);
}

TEST_F(CqlServerTest, AnOversizedFrameClosesOnlyThatConnection) {
  CqlServerConfig config;
  config.max_frame_bytes = 4096;
  start(config);
  FrameClient healthy(port_);
  healthy.startup();
  FrameClient client(port_);
  client.startup();
  cql::FrameHeader header{4, false, 0, 5, Opcode::kQuery, 4097};
  std::string frame;
  cql::append_frame_header(frame, header);
  client.send_raw(frame);
  auto error = client.receive();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->header.stream, 5);
  EXPECT_NE(error_of(*error).second.find("too big"), std::string::npos);
  EXPECT_FALSE(client.receive());
  healthy.send(Opcode::kQuery, query_body("KEYSPACE"), 1);
  ASSERT_TRUE(healthy.receive());
}

TEST_F(CqlServerTest, MalformedBodiesAndUnknownOpcodesAreErrorsOnTheirStream) {
  start();
  FrameClient client(port_);
  client.startup();
  client.send(Opcode::kQuery, std::string("\x00\x00\x10\x00SEL", 7), 1);  // cut short
  auto truncated = client.receive();
  ASSERT_TRUE(truncated);
  EXPECT_EQ(truncated->header.stream, 1);
  EXPECT_NE(error_of(*truncated).second.find("Malformed QUERY"), std::string::npos);
  client.send(static_cast<Opcode>(0x42), "xyz", 2);
  auto unknown = client.receive();
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->header.stream, 2);
  EXPECT_NE(error_of(*unknown).second.find("unknown opcode"), std::string::npos);
  client.send(Opcode::kResult, "", 3);  // a response opcode in a request
  auto response_opcode = client.receive();
  ASSERT_TRUE(response_opcode);
  EXPECT_EQ(error_of(*response_opcode).first, 0x000A);
  client.send(Opcode::kQuery, query_body("KEYSPACE"), 4);
  auto still_served = client.receive();
  ASSERT_TRUE(still_served);
  EXPECT_EQ(still_served->header.opcode, Opcode::kResult);
}

TEST_F(CqlServerTest, ErrorsCarryTheirExtraFields) {
  start();
  FrameClient client(port_);
  client.startup();
  client.send(Opcode::kQuery, query_body("USE ks"), 1);
  ASSERT_TRUE(client.receive());
  client.send(Opcode::kQuery, query_body("EXISTS"), 2);
  auto exists = client.receive();
  ASSERT_TRUE(exists);
  cql::WireReader reader(exists->body);
  EXPECT_EQ(reader.read_int(), 0x2400);
  reader.read_string();
  EXPECT_EQ(reader.read_string(), "ks");
  EXPECT_EQ(reader.read_string(), "t");

  std::string execute;
  cql::WireWriter writer(execute);
  writer.write_short_bytes("stale-id");
  writer.write_consistency(cql::Consistency::kOne);
  writer.write_byte(0);
  client.send(Opcode::kExecute, execute, 3);
  auto unprepared = client.receive();
  ASSERT_TRUE(unprepared);
  cql::WireReader unprepared_reader(unprepared->body);
  EXPECT_EQ(unprepared_reader.read_int(), 0x2500);
  unprepared_reader.read_string();
  EXPECT_EQ(unprepared_reader.read_short_bytes(), "stale-id");
}

TEST_F(CqlServerTest, AnExceptionInTheStoreIsAServerErrorNotACrash) {
  start();
  FrameClient client(port_);
  client.startup();
  client.send(Opcode::kQuery, query_body("THROW"), 1);
  auto error = client.receive();
  ASSERT_TRUE(error);
  EXPECT_EQ(error_of(*error).first, 0x0000);
  EXPECT_NE(error_of(*error).second.find("the fake store broke"), std::string::npos);
  client.send(Opcode::kQuery, query_body("KEYSPACE"), 2);
  ASSERT_TRUE(client.receive());
}

TEST_F(CqlServerTest, Lz4AgreedInStartupCompressesBothWays) {
  start();
  FrameClient client(port_);
  std::string startup;
  cql::WireWriter(startup).write_string_map({{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}});
  client.send(Opcode::kStartup, startup);
  auto ready = client.receive();
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->header.opcode, Opcode::kReady);
  // A compressed QUERY; the Rows answer comes compressed.
  std::string compressed_query =
      cql::encode_frame(cql::FrameHeader{4, false, 0, 1, Opcode::kQuery, 0}, query_body("KEYSPACE"),
                        cql::Compression::kLz4);
  client.send_raw(compressed_query);
  auto result = client.receive();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->header.opcode, Opcode::kResult);
  ASSERT_TRUE(result->header.flags & cql::kFlagCompression);
  auto plain = cql::decompress_lz4_body(result->body, 1 << 20);
  ASSERT_TRUE(plain.is_ok());
  EXPECT_EQ(keyspace_row_of(ReceivedFrame{result->header, *plain}), "");
  // A compressed frame that is not lz4 is a protocol error.
  cql::FrameHeader bad{4, false, cql::kFlagCompression, 2, Opcode::kQuery, 0};
  client.send_raw(cql::encode_frame(bad, std::string("\x00\x00\x00\x09junk", 8)));
  auto error = client.receive();
  ASSERT_TRUE(error);
  auto plain_error = cql::decompress_lz4_body(error->body, 1 << 20);
  ASSERT_TRUE(plain_error.is_ok());
  EXPECT_NE(plain_error->find("malformed lz4"), std::string::npos);
}

TEST_F(CqlServerTest, ConnectionsBeyondTheLimitAreClosed) {
  CqlServerConfig config;
  config.max_connections = 1;
  start(config);
  FrameClient first(port_);
  first.startup();
  FrameClient second(port_);
  second.send(Opcode::kOptions, "");
  EXPECT_FALSE(second.receive());
  first.send(Opcode::kOptions, "", 1);
  ASSERT_TRUE(first.receive());
}

}  // namespace
}  // namespace runnel::store::server
