#include "datagen/api_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/json_writer.h"
#include "datagen/api_request.h"
#include "datagen/user_generator.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

void send_error(httplib::Response& response, int status, std::string_view message) {
  std::string body;
  JsonWriter json(body);
  json.begin_object();
  json.key("error");
  json.string(message);
  json.end_object();
  json.flush();
  response.status = status;
  response.set_content(body, "application/json; charset=utf-8");
}

// A JSONP callback must be a plain JavaScript name, or it could inject code.
bool is_callback_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$' && c != '.') {
      return false;
    }
  }
  return true;
}

// Users handed to each client address in the current minute.
class RateLimiter {
 public:
  explicit RateLimiter(std::int64_t per_minute) : per_minute_(per_minute) {}

  // Counts `users` for `client`; answers the minute's total when it would
  // exceed the limit (and then counts nothing), or 0 when within it.
  std::int64_t charge(const std::string& client, std::int64_t users) {
    if (per_minute_ <= 0) return 0;
    const auto minute = std::chrono::duration_cast<std::chrono::minutes>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    std::lock_guard lock(mutex_);
    if (minute != minute_) {
      used_.clear();
      minute_ = minute;
    }
    auto& used = used_[client];
    if (used + users > per_minute_) return used;
    used += users;
    return 0;
  }

 private:
  const std::int64_t per_minute_;
  std::mutex mutex_;
  std::int64_t minute_ = -1;
  std::unordered_map<std::string, std::int64_t> used_;  // GUARDED_BY(mutex_)
};

}  // namespace

struct ApiServer::State {
  explicit State(ApiServerOptions options)
      : options(std::move(options)), limiter(this->options.max_users_per_minute) {}

  void handle_users(const httplib::Request& request, httplib::Response& response);

  ApiServerOptions options;
  RateLimiter limiter;
  httplib::Server http;
  // stop() may come before serve() has started listening; these two flags
  // let whichever comes second see the other.
  std::atomic<bool> serving{false};
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> finished{false};
};

void ApiServer::State::handle_users(const httplib::Request& request,
                                    httplib::Response& response) {
  const std::string version = request.matches[1];
  if (!version.empty() && version != kApiVersion) {
    send_error(response, 404,
               "Unknown API version '" + version + "'; this server speaks 1.4 at /api/ and " +
                   "/api/1.4/");
    return;
  }
  QueryParameters parameters(request.params.begin(), request.params.end());
  auto parsed = parse_api_request(parameters, Leniency::kLikeRandomUser);
  if (!parsed) {
    send_error(response, 400, parsed.status().message());
    return;
  }
  ApiRequest& api = *parsed;
  if (!api.callback.empty() && !is_callback_name(api.callback)) {
    send_error(response, 400, "callback must be a JavaScript function name");
    return;
  }
  if (const auto used = limiter.charge(request.remote_addr, api.results); used > 0) {
    send_error(response, 429,
               "Whoa, ease up there cowboy. You've requested " + std::to_string(used) +
                   " users in the last minute. Help us keep this service free and spare some "
                   "bandwidth for other users please :)");
    return;
  }

  // One generator per worker thread: its hash contexts and transliteration
  // cache outlive requests.
  thread_local std::unique_ptr<UserGenerator> generator;
  if (generator) {
    generator->restart(api.generator);
  } else {
    generator = std::make_unique<UserGenerator>(api.generator);
  }
  auto writer = make_user_writer(api.format, api.fields);
  RandomUser user;
  writer->begin();
  for (std::int64_t i = 0; i < api.results; ++i) {
    generator->next(user);
    writer->write(user);
  }
  const ResponseInfo info{api.info_seed, api.results, api.generator.page};
  writer->end(api.include_info ? &info : nullptr);

  std::string& body = writer->output();
  const bool jsonp = !api.callback.empty() &&
                     (api.format == OutputFormat::kJson || api.format == OutputFormat::kPrettyJson);
  if (jsonp) body = api.callback + "(" + body + ");";
  response.set_header("Cache-Control", "no-cache");
  if (api.download) {
    response.set_header("Content-Disposition",
                        "attachment; filename=download." + std::string(file_extension(api.format)));
  }
  response.set_content(std::move(body), jsonp ? "application/javascript; charset=utf-8"
                                              : std::string(content_type(api.format)));
}

ApiServer::ApiServer(ApiServerOptions options) : state_(std::make_unique<State>(options)) {
  auto& http = state_->http;
  const int threads = state_->options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_read_timeout(state_->options.read_timeout);
  http.set_write_timeout(state_->options.write_timeout);
  http.set_keep_alive_timeout(state_->options.keep_alive_timeout.count());
  http.set_keep_alive_max_count(1000);
  http.set_payload_max_length(64 * 1024);
  // cpp-httplib's default also sets SO_REUSEPORT, which would let a second
  // server bind the same port and silently share its traffic.
  http.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  auto handler = [state = state_.get()](const httplib::Request& request,
                                        httplib::Response& response) {
    state->handle_users(request, response);
  };
  http.Get(R"(/api/?)", handler);
  http.Get(R"(/api/([^/]+)/?)", handler);
  http.Get("/", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(
        R"({"service":"runnel datagen","api":"randomuser 1.4","paths":["/api/","/api/1.4/"]})",
        "application/json; charset=utf-8");
  });
  http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    const std::string reason = "HTTP " + std::to_string(response.status);
    send_error(response, response.status,
               response.status == 404 ? "Not found: " + request.path : reason);
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("datagen api: {}", what);
        send_error(response, 500, "Uh oh, something has gone wrong: " + what);
      });
  http.set_logger([](const httplib::Request& request, const httplib::Response& response) {
    spdlog::debug("datagen api: {} {} -> {}", request.method, request.target, response.status);
  });
}

ApiServer::~ApiServer() { stop(); }

Result<std::uint16_t> ApiServer::bind() {
  const auto& listen = state_->options.listen;
  int port = listen.port;
  if (port == 0) {
    port = state_->http.bind_to_any_port(listen.host);
    if (port < 0) port = 0;
  } else if (!state_->http.bind_to_port(listen.host, port)) {
    port = 0;
  }
  if (port == 0) {
    return unavailable("cannot listen on " + listen.to_string() +
                       " (address in use or not available)");
  }
  return static_cast<std::uint16_t>(port);
}

Status ApiServer::serve() {
  state_->serving = true;
  if (state_->stop_requested) return Status::ok();
  const bool clean = state_->http.listen_after_bind();
  state_->finished = true;
  if (!clean) {
    return unavailable("datagen api server stopped with an error");
  }
  return Status::ok();
}

void ApiServer::stop() {
  state_->stop_requested = true;
  // serve() may be about to listen: stop until it has returned.
  for (int i = 0; i < 1000 && state_->serving && !state_->finished; ++i) {
    state_->http.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace runnel::datagen
