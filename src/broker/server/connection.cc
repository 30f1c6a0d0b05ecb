#include "broker/server/connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "broker/broker.h"
#include "broker/protocol/error_code.h"
#include "broker/protocol/messages/api_versions.h"
#include "broker/server/api_table.h"

namespace runnel::broker {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// The answer to an ApiVersions request of a version the broker does not
// know: v0, which every client can read, with the error and the versions it
// does serve, so that the client retries with one of them.
std::string unsupported_api_versions_body() {
  ApiVersionsResponse response = advertised_api_versions();
  response.error_code = code(ErrorCode::kUnsupportedVersion);
  std::string body;
  WireWriter writer(body);
  encode(writer, response, {0, false});
  return body;
}

std::string response_frame(int32_t correlation_id, bool tagged_header, const std::string& body) {
  std::string frame;
  WireWriter writer(frame);
  size_t header_size = 4 + (tagged_header ? 1 : 0);
  writer.write_int32(static_cast<int32_t>(header_size + body.size()));
  writer.write_int32(correlation_id);
  if (tagged_header) writer.write_empty_tagged_fields();
  frame.append(body);
  return frame;
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, Broker& broker)
    : socket_(std::move(socket)),
      broker_(broker),
      writer_wake_(socket_.get_executor()),
      reader_wake_(socket_.get_executor()) {
  error_code error;
  auto remote = socket_.remote_endpoint(error);
  peer_ = error ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
  socket_.set_option(asio::ip::tcp::no_delay(true), error);
}

asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  asio::co_spawn(
      socket_.get_executor(), [self]() { return self->write_responses(); }, asio::detached);
  co_await read_requests();
  close();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  writer_wake_.cancel();
  reader_wake_.cancel();
}

asio::awaitable<void> Connection::read_requests() {
  auto self = shared_from_this();
  const int32_t max_request = broker_.config().max_request_bytes;
  for (;;) {
    while (exchanges_.size() >= kMaxInFlight && !closed_) {
      reader_wake_.expires_at(asio::steady_timer::time_point::max());
      error_code cancelled;
      co_await reader_wake_.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
    }
    if (closed_) co_return;

    char size_bytes[4];
    error_code error;
    co_await asio::async_read(socket_, asio::buffer(size_bytes),
                              asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;  // the peer closed, or close() was called
    WireReader size_reader(std::string_view(size_bytes, 4));
    int32_t size = size_reader.read_int32();
    if (size < 0 || size > max_request) {
      spdlog::warn(
          "closing connection from {}: a request of {} bytes is larger than "
          "socket.request.max.bytes ({})",
          peer_, size, max_request);
      co_return;
    }
    auto exchange = std::make_shared<Exchange>();
    exchange->request.resize(static_cast<size_t>(size));
    co_await asio::async_read(socket_, asio::buffer(exchange->request),
                              asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (!closed_) spdlog::warn("closing connection from {}: request frame cut short", peer_);
      co_return;
    }
    exchanges_.push_back(exchange);
    asio::co_spawn(
        socket_.get_executor(), [self, exchange]() { return self->serve(exchange); },
        asio::detached);
  }
}

asio::awaitable<void> Connection::serve(std::shared_ptr<Exchange> exchange) {
  WireReader in(exchange->request);
  RequestContext context{read_request_header(in), peer_, broker_};
  const RequestHeader& header = context.header;
  if (!in.ok()) {
    spdlog::warn("closing connection from {}: malformed request header: {}", peer_, in.error());
    close();
    co_return;
  }
  const ApiEntry* api = find_api(header.api_key);
  if (api == nullptr) {
    spdlog::warn("closing connection from {}: unknown API key {}", peer_, header.api_key);
    close();
    co_return;
  }
  std::string_view name = api_name(api->key);
  if (!api->versions.contains(header.api_version)) {
    if (api->key != ApiKey::kApiVersions) {
      spdlog::warn("closing connection from {}: {} version {} is not supported (serving {}-{})",
                   peer_, name, header.api_version, api->versions.min, api->versions.max);
      close();
      co_return;
    }
    exchange->response =
        response_frame(header.correlation_id, false, unsupported_api_versions_body());
  } else {
    bool flexible = api->flexible_versions.contains(header.api_version);
    if (flexible) in.skip_tagged_fields();  // request header v2
    std::string body;
    bool respond = true;
    bool served = false;
    try {
      if (in.ok()) served = co_await api->serve(in, context, body, respond);
    } catch (const std::exception& e) {
      spdlog::error("closing connection from {}: {} v{} failed: {}", peer_, name,
                    header.api_version, e.what());
      close();
      co_return;
    }
    if (!served) {
      spdlog::warn("closing connection from {}: malformed {} v{} request: {}", peer_, name,
                   header.api_version, in.error());
      close();
      co_return;
    }
    // ApiVersions responses keep header v0 even in flexible versions.
    bool tagged_header = flexible && api->key != ApiKey::kApiVersions;
    exchange->response = response_frame(header.correlation_id, tagged_header, body);
    exchange->respond = respond;
  }
  exchange->done = true;
  wake_writer();
}

asio::awaitable<void> Connection::write_responses() {
  auto self = shared_from_this();
  for (;;) {
    while (!exchanges_.empty() && exchanges_.front()->done && !closed_) {
      std::shared_ptr<Exchange> exchange = std::move(exchanges_.front());
      exchanges_.pop_front();
      reader_wake_.cancel();
      if (!exchange->respond) continue;
      error_code error;
      co_await asio::async_write(socket_, asio::buffer(exchange->response),
                                 asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        close();
        co_return;
      }
    }
    if (closed_) co_return;
    writer_wake_.expires_at(asio::steady_timer::time_point::max());
    error_code cancelled;
    co_await writer_wake_.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
  }
}

}  // namespace runnel::broker
