#include "cql/data_type.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace runnel::cql {
namespace {

struct NamedKind {
  std::string_view name;
  TypeKind kind;
};

// Every native type's CQL names; the first name of a kind is the one
// system_schema shows.
constexpr NamedKind kNativeTypes[] = {
    {"ascii", TypeKind::kAscii},       {"bigint", TypeKind::kBigint},
    {"blob", TypeKind::kBlob},         {"boolean", TypeKind::kBoolean},
    {"counter", TypeKind::kCounter},   {"decimal", TypeKind::kDecimal},
    {"double", TypeKind::kDouble},     {"float", TypeKind::kFloat},
    {"int", TypeKind::kInt},           {"timestamp", TypeKind::kTimestamp},
    {"uuid", TypeKind::kUuid},         {"text", TypeKind::kVarchar},
    {"varchar", TypeKind::kVarchar},   {"varint", TypeKind::kVarint},
    {"timeuuid", TypeKind::kTimeuuid}, {"inet", TypeKind::kInet},
    {"date", TypeKind::kDate},         {"time", TypeKind::kTime},
    {"smallint", TypeKind::kSmallint}, {"tinyint", TypeKind::kTinyint},
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// Splits "a, map<b, c>" at its top-level commas.
std::vector<std::string_view> split_parameters(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') ++depth;
    if (text[i] == '>') --depth;
    if (text[i] == ',' && depth == 0) {
      parts.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  parts.push_back(trim(text.substr(start)));
  return parts;
}

}  // namespace

DataType DataType::list_of(DataType element) {
  return DataType{TypeKind::kList, {std::move(element)}, {}};
}

DataType DataType::set_of(DataType element) {
  return DataType{TypeKind::kSet, {std::move(element)}, {}};
}

DataType DataType::map_of(DataType key, DataType value) {
  return DataType{TypeKind::kMap, {std::move(key), std::move(value)}, {}};
}

Result<DataType> DataType::parse(std::string_view cql_name) {
  std::string_view text = trim(cql_name);
  auto open = text.find('<');
  if (open == std::string_view::npos) {
    std::string name = lower(text);
    for (const auto& native : kNativeTypes) {
      if (native.name == name) return DataType::of(native.kind);
    }
    return invalid_argument("Unknown type " + std::string(text));
  }
  if (text.back() != '>') return invalid_argument("Unknown type " + std::string(text));
  std::string outer = lower(trim(text.substr(0, open)));
  std::string_view inner = text.substr(open + 1, text.size() - open - 2);
  if (outer == "frozen") return parse(inner);
  auto parts = split_parameters(inner);
  std::vector<DataType> parameters;
  for (auto part : parts) {
    auto parameter = parse(part);
    if (!parameter) return parameter.status();
    parameters.push_back(std::move(*parameter));
  }
  if ((outer == "list" || outer == "set") && parameters.size() == 1) {
    return outer == "list" ? list_of(std::move(parameters[0])) : set_of(std::move(parameters[0]));
  }
  if (outer == "map" && parameters.size() == 2) {
    return map_of(std::move(parameters[0]), std::move(parameters[1]));
  }
  return invalid_argument("Unknown type " + std::string(text));
}

std::string DataType::cql_name() const {
  switch (kind) {
    case TypeKind::kList:
      return "list<" + parameters.at(0).cql_name() + ">";
    case TypeKind::kSet:
      return "set<" + parameters.at(0).cql_name() + ">";
    case TypeKind::kMap:
      return "map<" + parameters.at(0).cql_name() + ", " + parameters.at(1).cql_name() + ">";
    case TypeKind::kCustom:
      return "'" + custom_class + "'";
    default:
      break;
  }
  for (const auto& native : kNativeTypes) {
    if (native.kind == kind) return std::string(native.name);
  }
  return "blob";
}

}  // namespace runnel::cql
