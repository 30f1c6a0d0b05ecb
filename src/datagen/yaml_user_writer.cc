// YAML through yaml-cpp: a `results` sequence of user mappings and an `info`
// mapping. yaml-cpp builds the document in memory, so the output appears at
// end(); YAML is served over HTTP only, where a response is at most 5000 users.
#include <yaml-cpp/yaml.h>

#include <cctype>

#include "datagen/user_visitor.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

// Strings that a YAML 1.1 reader would take for something else (a number,
// a sexagesimal "+5:30", a timestamp, a boolean, null) are double-quoted, so
// they stay strings; yaml-cpp itself quotes what a plain scalar cannot hold.
bool reads_as_non_string(std::string_view text) {
  if (text.empty()) return true;
  if (std::string_view("0123456789+-.").find(text.front()) != std::string_view::npos) return true;
  std::string lowered(text);
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::string_view kWords[] = {"true", "false", "yes", "no",   "on",
                                                "off",  "y",     "n",   "null", "~"};
  for (auto word : kWords) {
    if (lowered == word) return true;
  }
  return false;
}

class YamlVisitor {
 public:
  explicit YamlVisitor(YAML::Emitter& yaml) : yaml_(yaml) {}

  void begin_object(std::string_view key) {
    yaml_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
  }
  void end_object() { yaml_ << YAML::EndMap; }
  void text(std::string_view key, std::string_view value) {
    yaml_ << YAML::Key << std::string(key) << YAML::Value;
    if (reads_as_non_string(value)) yaml_ << YAML::DoubleQuoted;
    yaml_ << std::string(value);
  }
  void number(std::string_view key, std::int64_t value) {
    yaml_ << YAML::Key << std::string(key) << YAML::Value << value;
  }
  void null(std::string_view key) {
    yaml_ << YAML::Key << std::string(key) << YAML::Value << YAML::Null;
  }

 private:
  YAML::Emitter& yaml_;
};

class YamlWriter final : public UserWriter {
 public:
  explicit YamlWriter(FieldSet fields) : fields_(fields), visitor_(yaml_) {}

  void begin() override {
    yaml_ << YAML::BeginMap << YAML::Key << "results" << YAML::Value << YAML::BeginSeq;
  }
  void write(const RandomUser& user) override {
    yaml_ << YAML::BeginMap;
    visit_user(user, fields_, visitor_);
    yaml_ << YAML::EndMap;
  }
  void end(const ResponseInfo* info) override {
    yaml_ << YAML::EndSeq;
    if (info) {
      yaml_ << YAML::Key << "info" << YAML::Value << YAML::BeginMap;
      visitor_.text("seed", info->seed);
      visitor_.number("results", info->results);
      visitor_.number("page", info->page);
      visitor_.text("version", kApiVersion);
      yaml_ << YAML::EndMap;
    }
    yaml_ << YAML::EndMap;
    output_ += yaml_.c_str();
    output_ += '\n';
  }

 private:
  FieldSet fields_;
  YAML::Emitter yaml_;
  YamlVisitor visitor_;
};

}  // namespace

std::unique_ptr<UserWriter> make_yaml_writer(FieldSet fields) {
  return std::make_unique<YamlWriter>(fields);
}

}  // namespace runnel::datagen
