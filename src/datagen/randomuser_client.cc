#include "datagen/randomuser_client.h"

#include <curl/curl.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <thread>

namespace runnel::datagen {
namespace {

using simdjson::dom::element;

std::string_view text_of(element parent, const char* key) {
  std::string_view value;
  if (parent[key].get_string().get(value) == simdjson::SUCCESS) return value;
  return {};
}

std::int64_t number_of(element parent, const char* key) {
  std::int64_t value = 0;
  if (parent[key].get_int64().get(value) == simdjson::SUCCESS) return value;
  // Some compatible services send numbers as strings.
  const auto text = text_of(parent, key);
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

void parse_user(element json, RandomUser& user) {
  user.gender = text_of(json, "gender") == "female" ? Gender::kFemale : Gender::kMale;
  if (element name; json["name"].get(name) == simdjson::SUCCESS) {
    user.name.title = text_of(name, "title");
    user.name.first = text_of(name, "first");
    user.name.last = text_of(name, "last");
  }
  if (element location; json["location"].get(location) == simdjson::SUCCESS) {
    auto& out = user.location;
    if (element street; location["street"].get(street) == simdjson::SUCCESS) {
      out.street_number = number_of(street, "number");
      out.street_name = text_of(street, "name");
    }
    out.city = text_of(location, "city");
    out.state = text_of(location, "state");
    out.country = text_of(location, "country");
    if (std::int64_t number = 0;
        location["postcode"].get_int64().get(number) == simdjson::SUCCESS) {
      out.postcode.number = number;
    } else {
      out.postcode.number.reset();
      out.postcode.text = text_of(location, "postcode");
    }
    if (element coordinates; location["coordinates"].get(coordinates) == simdjson::SUCCESS) {
      out.latitude = text_of(coordinates, "latitude");
      out.longitude = text_of(coordinates, "longitude");
    }
    if (element timezone; location["timezone"].get(timezone) == simdjson::SUCCESS) {
      out.timezone_offset = text_of(timezone, "offset");
      out.timezone_description = text_of(timezone, "description");
    }
  }
  user.email = text_of(json, "email");
  if (element login; json["login"].get(login) == simdjson::SUCCESS) {
    auto& out = user.login;
    out.uuid = text_of(login, "uuid");
    out.username = text_of(login, "username");
    out.password = text_of(login, "password");
    out.salt = text_of(login, "salt");
    out.md5 = text_of(login, "md5");
    out.sha1 = text_of(login, "sha1");
    out.sha256 = text_of(login, "sha256");
  }
  for (auto [key, dated] : {std::pair{"dob", &user.dob}, {"registered", &user.registered}}) {
    if (element value; json[key].get(value) == simdjson::SUCCESS) {
      dated->date = text_of(value, "date");
      dated->age = static_cast<int>(number_of(value, "age"));
    }
  }
  user.phone = text_of(json, "phone");
  user.cell = text_of(json, "cell");
  if (element id; json["id"].get(id) == simdjson::SUCCESS) {
    user.id.name = text_of(id, "name");
    std::string_view value;
    if (id["value"].get_string().get(value) == simdjson::SUCCESS) {
      user.id.value = std::string(value);
    } else {
      user.id.value.reset();
    }
  }
  if (element picture; json["picture"].get(picture) == simdjson::SUCCESS) {
    user.picture.large = text_of(picture, "large");
    user.picture.medium = text_of(picture, "medium");
    user.picture.thumbnail = text_of(picture, "thumbnail");
  }
  user.nat = text_of(json, "nat");
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// Retry-After, in seconds, from a response header line.
std::size_t read_header(char* data, std::size_t size, std::size_t count, void* retry_after) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lowered(line.substr(0, kName.size()));
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
    if (lowered == kName) {
      auto value = line.substr(kName.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      long seconds = 0;
      std::from_chars(value.data(), value.data() + value.size(), seconds);
      *static_cast<long*>(retry_after) = seconds;
    }
  }
  return size * count;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Result<std::vector<RandomUser>> parse_users_response(std::string_view body) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root); error) {
    return data_loss(std::string("malformed JSON (") + simdjson::error_message(error) + ")");
  }
  if (std::string_view message; root["error"].get_string().get(message) == simdjson::SUCCESS) {
    return unavailable("the service answered: " + std::string(message));
  }
  simdjson::dom::array results;
  if (root["results"].get_array().get(results) != simdjson::SUCCESS) {
    return data_loss("response has no \"results\" array");
  }
  std::vector<RandomUser> users(results.size());
  std::size_t i = 0;
  for (element json : results) {
    if (!json.is_object()) return data_loss("a result is not an object");
    parse_user(json, users[i++]);
  }
  return users;
}

struct RandomUserClient::Connection {
  CURL* curl = curl_easy_init();
  ~Connection() { curl_easy_cleanup(curl); }
};

RandomUserClient::RandomUserClient(RandomUserClientOptions options) : options_(std::move(options)) {
  init_curl_once();
  connection_ = std::make_unique<Connection>();
}

RandomUserClient::~RandomUserClient() = default;

Result<std::vector<RandomUser>> RandomUserClient::fetch_page(std::int64_t results,
                                                             std::int64_t page) {
  CURL* curl = connection_->curl;
  if (!curl) return internal_error("libcurl could not create a handle");

  std::string url = options_.url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "results=" + std::to_string(results) + "&page=" + std::to_string(page) + "&format=json";
  for (const auto& [name, value] : options_.parameters) {
    if (name == "results" || name == "page" || name == "format" || name == "fmt") continue;
    char* escaped = curl_easy_escape(curl, value.data(), static_cast<int>(value.size()));
    url += '&' + name + '=' + (escaped ? escaped : "");
    curl_free(escaped);
  }

  Status last_error;
  auto backoff = options_.initial_backoff;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    std::string body;
    long retry_after = 0;
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "runnel/0.1");

    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK) {
      last_error = unavailable(options_.url + " unreachable: " + curl_easy_strerror(code));
    } else if (status == 200) {
      auto users = parse_users_response(body);
      if (users) return users;
      last_error = Status(users.status().code(),
                          "bad response from " + options_.url + ": " + users.status().message());
    } else if (status == 429 || status >= 500) {
      last_error = unavailable("HTTP " + std::to_string(status) + " from " + options_.url);
      if (status == 429 && retry_after > 0) {
        backoff = std::min<std::chrono::milliseconds>(std::chrono::seconds(retry_after),
                                                      options_.max_backoff);
      }
    } else {
      // Other statuses (400, 404, ...) will not change on retry.
      auto message = parse_users_response(body).status().message();
      return Status(StatusCode::kNotFound, "HTTP " + std::to_string(status) + " from " +
                                               options_.url + (message.empty() ? "" : ": ") +
                                               message);
    }
    if (attempt == options_.max_attempts) break;
    spdlog::warn("randomuser client: attempt {} of {} failed ({}); retrying in {} ms", attempt,
                 options_.max_attempts, last_error.message(), backoff.count());
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
  return Status(last_error.code(), last_error.message() + " (gave up after " +
                                       std::to_string(options_.max_attempts) + " attempts)");
}

Status RandomUserClient::fetch(std::int64_t count,
                               const std::function<Status(std::vector<RandomUser>&)>& on_batch) {
  std::int64_t page = 1;
  for (std::int64_t remaining = count; remaining > 0; ++page) {
    const auto results = std::min(remaining, std::max<std::int64_t>(1, options_.batch_size));
    auto users = fetch_page(results, page);
    if (!users) return users.status();
    if (users->empty()) return data_loss("the service answered no users");
    remaining -= static_cast<std::int64_t>(users->size());
    if (remaining < 0) users->resize(users->size() + remaining);
    if (auto status = on_batch(*users); !status.is_ok()) return status;
  }
  return Status::ok();
}

}  // namespace runnel::datagen
