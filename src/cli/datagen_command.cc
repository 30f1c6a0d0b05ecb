// `runnel datagen`: users to stdout or a file; `serve`: the randomuser API
// over HTTP; `fetch`: users from any randomuser-compatible URL.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "cli/command.h"
#include "datagen/api_request.h"
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
    for (auto [name, value] : {std::pair{"seed", &seed}, {"gender", &gender}, {"nat", &nat},
                               {"inc", &inc}, {"exc", &exc}, {"password", &password}}) {
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
    return {StatusCode::kResourceExhausted,
            "writing " + (path_ == "-" ? std::string("stdout") : path_) + ": " +
                std::strerror(errno)};
  }
  std::string path_;
  std::FILE* file_;
};

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
  writer->end(request->include_info ? &info : nullptr);
  if (auto status = output.write(writer->output()); !status.is_ok()) return status;
  return output.close();
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
}

}  // namespace runnel::cli
