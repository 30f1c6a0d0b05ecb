// CSV: one row per user, columns named by the dotted path of each field
// ("name.first", "location.street.number"), quoted per RFC 4180 when needed.
#include <charconv>
#include <vector>

#include "datagen/user_visitor.h"
#include "datagen/user_writer.h"

namespace runnel::datagen {
namespace {

void append_csv_value(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Collects the column names of the header.
class HeaderVisitor {
 public:
  std::vector<std::string> columns;

  void begin_object(std::string_view key) { path_.emplace_back(key); }
  void end_object() { path_.pop_back(); }
  void text(std::string_view key, std::string_view) { add(key); }
  void number(std::string_view key, std::int64_t) { add(key); }
  void null(std::string_view key) { add(key); }

 private:
  void add(std::string_view key) {
    std::string column;
    for (const auto& part : path_) {
      column += part;
      column += '.';
    }
    column += key;
    columns.push_back(std::move(column));
  }
  std::vector<std::string> path_;
};

class RowVisitor {
 public:
  explicit RowVisitor(std::string& out) : out_(out) {}
  void start_row() { first_ = true; }

  void begin_object(std::string_view) {}
  void end_object() {}
  void text(std::string_view, std::string_view value) {
    separate();
    append_csv_value(out_, value);
  }
  void number(std::string_view, std::int64_t value) {
    separate();
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  }
  void null(std::string_view) { separate(); }

 private:
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

class CsvWriter final : public UserWriter {
 public:
  explicit CsvWriter(FieldSet fields) : fields_(fields), row_(output_) {}

  void begin() override {}
  void write(const RandomUser& user) override {
    if (!header_written_) {
      HeaderVisitor header;
      visit_user(user, fields_, header);
      for (std::size_t i = 0; i < header.columns.size(); ++i) {
        if (i > 0) output_ += ',';
        append_csv_value(output_, header.columns[i]);
      }
      output_ += '\n';
      header_written_ = true;
    }
    row_.start_row();
    visit_user(user, fields_, row_);
    output_ += '\n';
  }
  void end(const ResponseInfo*) override {}

 private:
  FieldSet fields_;
  RowVisitor row_;
  bool header_written_ = false;
};

}  // namespace

std::unique_ptr<UserWriter> make_csv_writer(FieldSet fields) {
  return std::make_unique<CsvWriter>(fields);
}

}  // namespace runnel::datagen
