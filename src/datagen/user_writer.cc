#include "datagen/user_writer.h"

namespace runnel::datagen {

// Defined one per file: json_user_writer.cc, csv_user_writer.cc, ...
std::unique_ptr<UserWriter> make_json_writer(FieldSet fields, bool pretty);
std::unique_ptr<UserWriter> make_json_lines_writer(FieldSet fields);
std::unique_ptr<UserWriter> make_csv_writer(FieldSet fields);
std::unique_ptr<UserWriter> make_yaml_writer(FieldSet fields);
std::unique_ptr<UserWriter> make_xml_writer(FieldSet fields);

std::unique_ptr<UserWriter> make_user_writer(OutputFormat format, FieldSet fields) {
  switch (format) {
    case OutputFormat::kJson:
      return make_json_writer(fields, false);
    case OutputFormat::kPrettyJson:
      return make_json_writer(fields, true);
    case OutputFormat::kJsonLines:
      return make_json_lines_writer(fields);
    case OutputFormat::kCsv:
      return make_csv_writer(fields);
    case OutputFormat::kYaml:
      return make_yaml_writer(fields);
    case OutputFormat::kXml:
      return make_xml_writer(fields);
  }
  return make_json_writer(fields, false);
}

std::string_view content_type(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
    case OutputFormat::kPrettyJson:
      return "application/json; charset=utf-8";
    case OutputFormat::kJsonLines:
      return "application/x-ndjson; charset=utf-8";
    case OutputFormat::kCsv:
      return "text/csv; charset=utf-8";
    case OutputFormat::kYaml:
      return "text/x-yaml; charset=utf-8";
    case OutputFormat::kXml:
      return "text/xml; charset=utf-8";
  }
  return "application/json; charset=utf-8";
}

}  // namespace runnel::datagen
