// `runnel datagen`: users to stdout or a file; `serve`: the randomuser API
// over HTTP; `fetch`: users from any randomuser-compatible URL.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "common/endpoint.h"
#include "common/http_server.h"
#include "common/shutdown_signal.h"
#include "datagen/api_request.h"
#include "datagen/randomuser_api.h"
#include "datagen/randomuser_client.h"
#include "datagen/user_generator.h"
#include "datagen/user_writer.h"

namespace runnel::cli {
namespace {

// The API parameters, as flags. Each flag given becomes a query parameter, so
// the command line and the HTTP API share one parser.
struct GenerationFlags {
  std::string format = "json";
  std::string seed, gender, nat, inc, exc, password;
  std::int64_t page = 1;
  bool noinfo = false;

  void add_to(CLI::App& command) {
    command.add_option("--format", format, "json, pretty, jsonl, csv, yaml or xml")
        ->capture_default_str();
    command.add_option("--seed", seed, "Same seed, page and parameters give the same users");
    command.add_option("--page", page, "Page of a seeded sequence (1-10000)")
        ->capture_default_str();
    command.add_option("--gender", gender, "male or female");
    command.add_option("--nat", nat, "Nationalities, comma separated (AU,BR,...,US)");
    command.add_option("--inc", inc, "Fields to include, comma separated");
    command.add_option("--exc", exc, "Fields to exclude, comma separated");
    command.add_option("--password", password,
                       "Password charsets and length: special,upper,lower,number,MIN-MAX");
    command.add_flag("--noinfo", noinfo, "Leave out the info object");
  }

  datagen::QueryParameters to_query() const {
    datagen::QueryParameters query{{"format", format}, {"page", std::to_string(page)}};
    for (auto [name, value] : {std::pair{"seed", &seed},
                               {"gender", &gender},
                               {"nat", &nat},
                               {"inc", &inc},
                               {"exc", &exc},
                               {"password", &password}}) {
      if (!value->empty()) query.emplace_back(name, *value);
    }
    if (noinfo) query.emplace_back("noinfo", "");
    return query;
  }
};

class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    file_ = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
  }
  ~OutputFile() {
    if (file_ && file_ != stdout) std::fclose(file_);
  }
  Status open_status() const {
    if (file_) return Status::ok();
    return unavailable("cannot open " + path_ + ": " + std::strerror(errno));
  }
  Status write(std::string& data) {
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
      return write_error();
    }
    data.clear();
    return Status::ok();
  }
  Status close() {
    if (std::fflush(file_) != 0) return write_error();
    if (file_ != stdout) {
      const int result = std::fclose(file_);
      file_ = nullptr;
      if (result != 0) return write_error();
    }
    return Status::ok();
  }

 private:
  Status write_error() const {
    return {
        StatusCode::kResourceExhausted,
        "writing " + (path_ == "-" ? std::string("stdout") : path_) + ": " + std::strerror(errno)};
  }
  std::string path_;
  std::FILE* file_;
};

// Ends the response, with a final newline for the terminal's sake.
Status finish(datagen::UserWriter& writer, const datagen::ResponseInfo* info, OutputFile& output) {
  writer.end(info);
  if (!writer.output().empty() && writer.output().back() != '\n') writer.output() += '\n';
  if (auto status = output.write(writer.output()); !status.is_ok()) return status;
  return output.close();
}

Status generate(const GenerationFlags& flags, std::int64_t count, const std::string& path) {
  if (count < 1) return invalid_argument("--count must be at least 1");
  auto request = datagen::parse_api_request(flags.to_query(), datagen::Leniency::kStrict);
  if (!request) return request.status();
  OutputFile output(path);
  if (auto status = output.open_status(); !status.is_ok()) return status;

  datagen::UserGenerator generator(request->generator);
  auto writer = datagen::make_user_writer(request->format, request->fields);
  datagen::RandomUser user;
  constexpr std::size_t kFlushBytes = 1 << 20;
  writer->begin();
  for (std::int64_t i = 0; i < count; ++i) {
    generator.next(user);
    writer->write(user);
    if (writer->output().size() >= kFlushBytes) {
      if (auto status = output.write(writer->output()); !status.is_ok()) return status;
    }
  }
  const datagen::ResponseInfo info{request->info_seed, count, request->generator.page};
  return finish(*writer, request->include_info ? &info : nullptr, output);
}

struct ServeFlags {
  std::string listen = "127.0.0.1:8000";
  int threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::int64_t max_users_per_minute = 0;
};

Status serve(const ServeFlags& flags) {
  auto endpoint = parse_endpoint(flags.listen);
  if (!endpoint) return invalid_argument("--listen: " + endpoint.status().message());
  if (flags.threads < 1) return invalid_argument("--threads must be at least 1");
  // Before the server starts its threads, so that they inherit the mask and
  // SIGINT/SIGTERM reach only the waiter below.
  block_shutdown_signals();
  datagen::RandomUserApi api({.max_users_per_minute = flags.max_users_per_minute});
  HttpServer server({.listen = *endpoint, .threads = flags.threads},
                    [&api](const HttpRequest& request, HttpResponse& response) {
                      api.handle(request, response);
                    });
  auto port = server.bind();
  if (!port) return port.status();
  std::thread waiter = wait_for_shutdown_signal([&server] {
    spdlog::info("datagen api: shutting down");
    server.stop();
  });
  spdlog::info("datagen api: serving randomuser 1.4 on http://{}/api/",
               Endpoint{endpoint->host, *port}.to_string());
  server.serve();
  raise_shutdown();  // wakes the waiter when serving ended on its own
  waiter.join();
  return Status::ok();
}

struct FetchFlags {
  std::string url{datagen::kRandomUserUrl};
  std::int64_t batch = datagen::kMaxResults;
  double timeout_seconds = 30;
  int attempts = 5;
};

Status fetch(const GenerationFlags& flags, const FetchFlags& fetch_flags, std::int64_t count,
             const std::string& path) {
  if (count < 1) return invalid_argument("--count must be at least 1");
  if (fetch_flags.batch < 1 || fetch_flags.batch > datagen::kMaxResults) {
    return invalid_argument("--batch must be from 1 to 5000");
  }
  if (fetch_flags.attempts < 1) return invalid_argument("--attempts must be at least 1");
  // Validate the parameters here; the service gets them as given.
  const auto query = flags.to_query();
  auto request = datagen::parse_api_request(query, datagen::Leniency::kStrict);
  if (!request) return request.status();
  OutputFile output(path);
  if (auto status = output.open_status(); !status.is_ok()) return status;

  datagen::RandomUserClientOptions options;
  options.url = fetch_flags.url;
  options.batch_size = fetch_flags.batch;
  options.timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(fetch_flags.timeout_seconds * 1000));
  options.max_attempts = fetch_flags.attempts;
  for (const auto& [name, value] : query) {
    if (name != "format" && name != "page" && name != "noinfo")
      options.parameters.emplace_back(name, value);
  }
  datagen::RandomUserClient client(std::move(options));
  auto writer = datagen::make_user_writer(request->format, request->fields);
  writer->begin();
  auto status = client.fetch(count, [&](std::vector<datagen::RandomUser>& users) {
    for (const auto& user : users) writer->write(user);
    return output.write(writer->output());
  });
  if (!status.is_ok()) return status;
  const datagen::ResponseInfo info{request->info_seed, count, 1};
  return finish(*writer, request->include_info ? &info : nullptr, output);
}

}  // namespace

void add_datagen_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  auto* datagen = app.add_subcommand(
      "datagen", "Generate random users compatible with the randomuser.me API 1.4");
  datagen->require_subcommand(0, 1);

  struct State {
    GenerationFlags flags;
    std::int64_t count = 1;
    std::string output = "-";
  };
  auto state = std::make_shared<State>();
  state->flags.add_to(*datagen);
  datagen->add_option("--count,-n", state->count, "Number of users")->capture_default_str();
  datagen->add_option("--output,-o", state->output, "File to write, - for stdout")
      ->capture_default_str();
  datagen->callback([state, datagen, &action] {
    if (!datagen->get_subcommands().empty()) return;
    action = [state] { return generate(state->flags, state->count, state->output); };
  });

  auto serve_flags = std::make_shared<ServeFlags>();
  auto* serve_command = datagen->add_subcommand(
      "serve", "Serve the randomuser API 1.4 over HTTP at /api/ and /api/1.4/");
  serve_command->add_option("--listen", serve_flags->listen, "host:port to listen on")
      ->envname("RUNNEL_DATAGEN_LISTEN")
      ->capture_default_str();
  serve_command->add_option("--threads", serve_flags->threads, "Request handler threads")
      ->capture_default_str();
  serve_command
      ->add_option("--max-users-per-minute", serve_flags->max_users_per_minute,
                   "Per client address; over it requests get 429 (0: no limit)")
      ->capture_default_str();
  serve_command->callback(
      [serve_flags, &action] { action = [serve_flags] { return serve(*serve_flags); }; });

  struct FetchState {
    GenerationFlags flags;
    FetchFlags fetch;
    std::int64_t count = 1;
    std::string output = "-";
  };
  auto fetch_state = std::make_shared<FetchState>();
  auto* fetch_command = datagen->add_subcommand(
      "fetch", "Fetch users from a randomuser-compatible API and write them like datagen");
  fetch_state->flags.add_to(*fetch_command);
  fetch_command->add_option("--url", fetch_state->fetch.url, "API URL")
      ->envname("RUNNEL_SOURCE_URL")
      ->capture_default_str();
  fetch_command->add_option("--count,-n", fetch_state->count, "Number of users")
      ->capture_default_str();
  fetch_command->add_option("--output,-o", fetch_state->output, "File to write, - for stdout")
      ->capture_default_str();
  fetch_command->add_option("--batch", fetch_state->fetch.batch, "Users per request (1-5000)")
      ->capture_default_str();
  fetch_command
      ->add_option("--timeout", fetch_state->fetch.timeout_seconds,
                   "Seconds allowed for one request")
      ->capture_default_str();
  fetch_command
      ->add_option("--attempts", fetch_state->fetch.attempts, "Tries per request before giving up")
      ->capture_default_str();
  fetch_command->callback([fetch_state, &action] {
    action = [fetch_state] {
      return fetch(fetch_state->flags, fetch_state->fetch, fetch_state->count, fetch_state->output);
    };
  });
}

}  // namespace runnel::cli
