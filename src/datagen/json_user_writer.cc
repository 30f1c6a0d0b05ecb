// JSON, pretty JSON and JSON lines: {"results":[...],"info":{...}} as
// randomuser writes it, or one user object per line.
#include "common/json_writer.h"
#include "datagen/user_visitor.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

// Keys come from visit_user's literals, so they skip the escaping check.
// Calls are always inlined into the walk, where each key is a constant.
class JsonVisitor {
 public:
  explicit JsonVisitor(JsonWriter& json) : json_(json) {}
  [[gnu::always_inline]] void begin_object(std::string_view key) {
    json_.trusted_key(key);
    json_.begin_object();
  }
  [[gnu::always_inline]] void end_object() { json_.end_object(); }
  [[gnu::always_inline]] void text(std::string_view key, std::string_view value) {
    json_.trusted_key(key);
    json_.string(value);
  }
  [[gnu::always_inline]] void number(std::string_view key, std::int64_t value) {
    json_.trusted_key(key);
    json_.number(value);
  }
  [[gnu::always_inline]] void null(std::string_view key) {
    json_.trusted_key(key);
    json_.null();
  }

 private:
  JsonWriter& json_;
};

class JsonResponseWriter final : public UserWriter {
 public:
  JsonResponseWriter(FieldSet fields, bool pretty)
      : fields_(fields), json_(output_, pretty), visitor_(json_) {}

  void begin() override {
    json_.begin_object();
    json_.key("results");
    json_.begin_array();
    json_.flush();
  }
  void write(const RandomUser& user) override {
    json_.begin_object();
    visit_user(user, fields_, visitor_);
    json_.end_object();
    json_.flush();
  }
  void end(const ResponseInfo* info) override {
    json_.end_array();
    if (info) {
      json_.key("info");
      json_.begin_object();
      json_.key("seed");
      json_.string(info->seed);
      json_.key("results");
      json_.number(info->results);
      json_.key("page");
      json_.number(info->page);
      json_.key("version");
      json_.string(kApiVersion);
      json_.end_object();
    }
    json_.end_object();
    json_.flush();
  }

 private:
  FieldSet fields_;
  JsonWriter json_;
  JsonVisitor visitor_;
};

class JsonLinesWriter final : public UserWriter {
 public:
  explicit JsonLinesWriter(FieldSet fields) : fields_(fields), json_(output_), visitor_(json_) {}
  void begin() override {}
  void write(const RandomUser& user) override {
    json_.begin_object();
    visit_user(user, fields_, visitor_);
    json_.end_object();
    json_.flush();
    output_ += '\n';
  }
  void end(const ResponseInfo*) override {}

 private:
  FieldSet fields_;
  JsonWriter json_;
  JsonVisitor visitor_;
};

}  // namespace

std::unique_ptr<UserWriter> make_json_writer(FieldSet fields, bool pretty) {
  return std::make_unique<JsonResponseWriter>(fields, pretty);
}

std::unique_ptr<UserWriter> make_json_lines_writer(FieldSet fields) {
  return std::make_unique<JsonLinesWriter>(fields);
}

}  // namespace runnel::datagen
