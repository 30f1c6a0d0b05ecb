#include "common/http_server.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <thread>

#include "common/json_writer.h"

namespace runnel {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string percent_decode(std::string_view text) {
  std::string plus_as_space(text);
  for (auto& c : plus_as_space) {
    if (c == '+') c = ' ';
  }
  int length = 0;
  char* decoded = curl_easy_unescape(nullptr, plus_as_space.data(),
                                     static_cast<int>(plus_as_space.size()), &length);
  if (!decoded) return plus_as_space;
  std::string result(decoded, static_cast<std::size_t>(length));
  curl_free(decoded);
  return result;
}

http::response<http::string_body> error_response(http::status status, std::string_view message,
                                                 unsigned version) {
  http::response<http::string_body> response{status, version};
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.body() = json_error_body(message);
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

}  // namespace

std::string json_error_body(std::string_view message) {
  std::string body;
  JsonWriter json(body);
  json.begin_object();
  json.key("error");
  json.string(message);
  json.end_object();
  json.flush();
  return body;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (!part.empty()) {
      const auto equals = part.find('=');
      pairs.emplace_back(percent_decode(part.substr(0, equals)),
                         equals == std::string_view::npos
                             ? std::string()
                             : percent_decode(part.substr(equals + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return pairs;
}

struct HttpServer::State {
  State(HttpServerOptions options, HttpHandler handler)
      : options(std::move(options)),
        handler(std::move(handler)),
        handlers(static_cast<std::size_t>(std::max(1, this->options.threads))) {}

  asio::awaitable<void> accept_connections();
  asio::awaitable<void> serve_connection(tcp::socket socket);
  http::response<http::string_body> respond(const http::request<http::string_body>& request,
                                            const std::string& remote);
  // respond() on the handler pool, so a slow handler never holds up the I/O
  // of other connections.
  asio::awaitable<http::response<http::string_body>> respond_on_pool(
      http::request<http::string_body> request, std::string remote);

  HttpServerOptions options;
  HttpHandler handler;
  std::atomic<int> connections{0};
  std::atomic<bool> stopped{false};
  // All socket I/O runs on one thread; handlers run on `handlers`.
  asio::io_context io{1};
  // The acceptor is used by the accept loop and by stop(): both run on this
  // strand. Each connection gets a strand of its own.
  asio::strand<asio::io_context::executor_type> accept_strand = asio::make_strand(io);
  tcp::acceptor acceptor{accept_strand};
  // Declared after io: its pending work refers to io, so it goes first.
  asio::thread_pool handlers;
};

asio::awaitable<http::response<http::string_body>> HttpServer::State::respond_on_pool(
    http::request<http::string_body> request, std::string remote) {
  using Response = http::response<http::string_body>;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [this, &request, &remote](auto resume) {
        asio::post(handlers, [this, request = std::move(request), remote = std::move(remote),
                              resume = std::move(resume)]() mutable {
          Response response = respond(request, remote);
          // Resume the connection's coroutine on its own executor.
          const auto executor = asio::get_associated_executor(resume);
          asio::post(executor, [resume = std::move(resume),
                                response = std::move(response)]() mutable {
            std::move(resume)(std::move(response));
          });
        });
      },
      asio::use_awaitable);
}

asio::awaitable<void> HttpServer::State::accept_connections() {
  for (;;) {
    boost::system::error_code error;
    tcp::socket socket = co_await acceptor.async_accept(
        asio::make_strand(io), asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (!acceptor.is_open()) co_return;
      spdlog::warn("http: accept failed: {}", error.message());
      continue;
    }
    if (connections.load() >= options.max_connections) {
      spdlog::warn("http: connection limit {} reached; refusing a connection",
                   options.max_connections);
      continue;  // the socket closes as it goes out of scope
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve_connection(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::State::serve_connection(tcp::socket socket) {
  ++connections;
  struct Release {
    std::atomic<int>& count;
    ~Release() { --count; }
  } release{connections};

  boost::system::error_code error;
  const auto peer = socket.remote_endpoint(error);
  const std::string remote = error ? std::string() : peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(options.max_header_bytes);
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(first ? options.read_timeout : options.idle_timeout);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, error));
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::connection_reset || error == asio::error::operation_aborted) {
      break;
    }
    http::response<http::string_body> response;
    if (error == http::error::header_limit) {
      response = error_response(
          http::status::request_header_fields_too_large,
          "request line and headers exceed " + std::to_string(options.max_header_bytes) + " bytes",
          11);
    } else if (error == http::error::body_limit) {
      response = error_response(
          http::status::payload_too_large,
          "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes", 11);
    } else if (error) {
      spdlog::debug("http: bad request from {}: {}", remote, error.message());
      response = error_response(http::status::bad_request,
                                "malformed HTTP request: " + error.message(), 11);
    } else {
      response = co_await respond_on_pool(parser.release(), remote);
    }
    stream.expires_after(options.write_timeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
    if (error || !response.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, error);
}

http::response<http::string_body> HttpServer::State::respond(
    const http::request<http::string_body>& request, const std::string& remote) {
  HttpRequest in;
  in.method = std::string(request.method_string());
  in.target = std::string(request.target());
  const auto question = in.target.find('?');
  in.path = percent_decode(std::string_view(in.target).substr(0, question));
  if (question != std::string::npos) {
    in.query = parse_query(std::string_view(in.target).substr(question + 1));
  }
  in.remote_address = remote;

  HttpResponse out;
  try {
    handler(in, out);
  } catch (const std::exception& e) {
    spdlog::error("http: {} {} failed: {}", in.method, in.target, e.what());
    out = HttpResponse{500, "application/json; charset=utf-8", {}, json_error_body(e.what())};
  }
  spdlog::debug("http: {} {} {} -> {}", remote, in.method, in.target, out.status);

  http::response<http::string_body> response{static_cast<http::status>(out.status),
                                             request.version()};
  response.set(http::field::content_type, out.content_type);
  for (const auto& [name, value] : out.headers) response.set(name, value);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(out.body);
  response.prepare_payload();
  if (request.method() == http::verb::head) response.body().clear();
  return response;
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : state_(std::make_unique<State>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { stop(); }

Result<std::uint16_t> HttpServer::bind() {
  const auto& listen = state_->options.listen;
  boost::system::error_code error;
  const auto address =
      asio::ip::make_address(listen.host == "localhost" ? "127.0.0.1" : listen.host, error);
  if (error)
    return invalid_argument("cannot listen on " + listen.to_string() + ": " + error.message());
  const tcp::endpoint endpoint(address, listen.port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return unavailable("cannot listen on " + listen.to_string() + ": " + error.message());
  }
  return acceptor.local_endpoint().port();
}

void HttpServer::serve() {
  auto& state = *state_;
  if (state.stopped) return;
  asio::co_spawn(state.accept_strand, state.accept_connections(), asio::detached);
  state.io.run();
  // Let handlers in flight finish before anything they use goes away.
  state.handlers.stop();
  state.handlers.join();
}

void HttpServer::stop() {
  state_->stopped = true;
  asio::post(state_->accept_strand, [state = state_.get()] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
    state->io.stop();
  });
}

}  // namespace runnel
