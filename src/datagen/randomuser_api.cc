#include "datagen/randomuser_api.h"

#include <cctype>
#include <mutex>
#include <unordered_map>

#include "datagen/api_request.h"
#include "datagen/user_generator.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

void send_error(HttpResponse& response, int status, std::string_view message) {
  response.status = status;
  response.content_type = "application/json; charset=utf-8";
  response.body = json_error_body(message);
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

}  // namespace

// Users handed to each client address in the current minute.
class RandomUserApi::RateLimiter {
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

void RandomUserApi::handle(const HttpRequest& request, HttpResponse& response) {
  if (request.method != "GET" && request.method != "HEAD") {
    send_error(response, 405, "only GET is served");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return;
  }
  std::string_view path = request.path;
  if (path == "/") {
    response.body =
        R"({"service":"runnel datagen","api":"randomuser 1.4","paths":["/api/","/api/1.4/"]})";
    return;
  }
  // /api, /api/, /api/<version>, /api/<version>/
  if (path.substr(0, 4) == "/api" && (path.size() == 4 || path[4] == '/')) {
    std::string_view version = path.substr(std::min<std::size_t>(path.size(), 5));
    if (!version.empty() && version.back() == '/') version.remove_suffix(1);
    if (version.find('/') == std::string_view::npos) {
      respond_with_users(request, version, response);
      return;
    }
  }
  send_error(response, 404, "Not found: " + request.path);
}

void RandomUserApi::respond_with_users(const HttpRequest& request, std::string_view version,
                                       HttpResponse& response) {
  if (!version.empty() && version != kApiVersion) {
    send_error(response, 404,
               "Unknown API version '" + std::string(version) +
                   "'; this server speaks 1.4 at /api/ and /api/1.4/");
    return;
  }
  auto parsed = parse_api_request(request.query, Leniency::kLikeRandomUser);
  if (!parsed) {
    send_error(response, 400, parsed.status().message());
    return;
  }
  ApiRequest& api = *parsed;
  if (!api.callback.empty() && !is_callback_name(api.callback)) {
    send_error(response, 400, "callback must be a JavaScript function name");
    return;
  }
  if (const auto used = limiter_->charge(request.remote_address, api.results); used > 0) {
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
  writer->output().reserve(static_cast<std::size_t>(api.results) * 1200);  // about one user's JSON
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
  response.headers.emplace_back("Cache-Control", "no-cache");
  if (api.download) {
    response.headers.emplace_back(
        "Content-Disposition",
        "attachment; filename=download." + std::string(file_extension(api.format)));
  }
  response.content_type =
      jsonp ? "application/javascript; charset=utf-8" : std::string(content_type(api.format));
  response.body = std::move(body);
}

RandomUserApi::RandomUserApi(RandomUserApiOptions options)
    : limiter_(std::make_unique<RateLimiter>(options.max_users_per_minute)) {}

RandomUserApi::~RandomUserApi() = default;

}  // namespace runnel::datagen
