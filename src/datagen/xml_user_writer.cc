// XML as randomuser sends it: a <user> root with one <results> element per
// user and an <info> element, four-space indentation.
#include <charconv>
#include <vector>

#include "datagen/user_visitor.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

void append_xml_text(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
}

class XmlVisitor {
 public:
  explicit XmlVisitor(std::string& out) : out_(out) {}

  void open(std::string_view name) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += ">\n";
    open_.emplace_back(name);
  }
  void close() {
    const auto name = open_.back();
    open_.pop_back();
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }

  void begin_object(std::string_view key) { open(key); }
  void end_object() { close(); }
  void text(std::string_view key, std::string_view value) {
    indent();
    out_ += '<';
    out_ += key;
    out_ += '>';
    append_xml_text(out_, value);
    out_ += "</";
    out_ += key;
    out_ += ">\n";
  }
  void number(std::string_view key, std::int64_t value) {
    char digits[24];
    text(key, std::string_view(digits, std::to_chars(digits, digits + sizeof digits, value).ptr));
  }
  void null(std::string_view key) {
    indent();
    out_ += '<';
    out_ += key;
    out_ += "/>\n";
  }

 private:
  void indent() { out_.append(open_.size() * 4, ' '); }
  std::string& out_;
  std::vector<std::string_view> open_;
};

class XmlWriter final : public UserWriter {
 public:
  explicit XmlWriter(FieldSet fields) : fields_(fields), xml_(output_) {}

  void begin() override {
    output_ += "<?xml version='1.0'?>\n";
    xml_.open("user");
  }
  void write(const RandomUser& user) override {
    xml_.open("results");
    visit_user(user, fields_, xml_);
    xml_.close();
  }
  void end(const ResponseInfo* info) override {
    if (info) {
      xml_.open("info");
      xml_.text("seed", info->seed);
      xml_.number("results", info->results);
      xml_.number("page", info->page);
      xml_.text("version", kApiVersion);
      xml_.close();
    }
    xml_.close();
  }

 private:
  FieldSet fields_;
  XmlVisitor xml_;
};

}  // namespace

std::unique_ptr<UserWriter> make_xml_writer(FieldSet fields) {
  return std::make_unique<XmlWriter>(fields);
}

}  // namespace runnel::datagen
