#include "datagen/api_request.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "datagen/nationality.h"

namespace runnel::datagen {
namespace {

constexpr std::string_view kKnownParameters[] = {
    "results", "seed",   "gender", "nat",    "nationality", "inc",      "exc",      "password",
    "page",    "format", "fmt",    "noinfo", "dl",          "download", "callback", "lego"};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = trim(text.substr(0, comma));
    if (!part.empty()) parts.push_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return parts;
}

// A whole number as JavaScript's Number() would read it, or nothing.
std::optional<std::int64_t> whole_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return 0;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value != std::floor(value) || std::fabs(value) > 1e15) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

// The last value of each known parameter, and the names of unknown ones.
struct LastValues {
  std::vector<std::pair<std::string_view, std::string_view>> values;
  std::vector<std::string_view> unknown;

  const std::string_view* find(std::string_view name) const {
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }
  bool has(std::string_view name) const { return find(name) != nullptr; }
};

class Parser {
 public:
  Parser(const QueryParameters& parameters, Leniency leniency)
      : strict_(leniency == Leniency::kStrict) {
    for (const auto& [name, value] : parameters) {
      if (std::find(std::begin(kKnownParameters), std::end(kKnownParameters), name) !=
          std::end(kKnownParameters)) {
        given_.values.emplace_back(name, value);
      } else {
        given_.unknown.push_back(name);
      }
    }
  }

  Result<ApiRequest> parse() {
    if (strict_ && !given_.unknown.empty()) {
      return invalid_argument("unknown parameter '" + std::string(given_.unknown.front()) + "'");
    }
    ApiRequest request;
    if (auto status = parse_results(request); !status.is_ok()) return status;
    if (auto status = parse_format(request); !status.is_ok()) return status;
    if (auto status = parse_fields(request); !status.is_ok()) return status;
    if (auto status = parse_nationalities(request); !status.is_ok()) return status;
    if (auto status = parse_seed_and_gender(request); !status.is_ok()) return status;
    if (auto status = parse_page(request); !status.is_ok()) return status;
    if (auto status = parse_password(request); !status.is_ok()) return status;
    request.include_info = !given_.has("noinfo");
    request.download = given_.has("dl") || given_.has("download");
    if (const auto* callback = given_.find("callback")) request.callback = *callback;
    return request;
  }

 private:
  const std::string_view* either(std::string_view name, std::string_view alias) const {
    const auto* value = given_.find(name);
    return value ? value : given_.find(alias);
  }

  Status parse_results(ApiRequest& request) {
    const auto* text = given_.find("results");
    if (!text) return Status::ok();
    const auto value = whole_number(*text);
    if (value && *value >= 1 && *value <= kMaxResults) {
      request.results = *value;
    } else if (strict_) {
      return invalid_argument("results must be a whole number from 1 to " +
                              std::to_string(kMaxResults) + ", not '" + std::string(*text) + "'");
    }
    return Status::ok();
  }

  Status parse_format(ApiRequest& request) {
    const auto* text = either("format", "fmt");
    if (!text) return Status::ok();
    const auto format = output_format_from_name(lower(*text));
    if (format && (strict_ || *format != OutputFormat::kJsonLines)) {
      request.format = *format;
    } else if (strict_) {
      return invalid_argument("unknown format '" + std::string(*text) +
                              "' (expected json, pretty, jsonl, csv, yaml or xml)");
    }
    return Status::ok();
  }

  Status parse_fields(ApiRequest& request) {
    FieldSet fields = FieldSet::all();
    if (const auto* inc = given_.find("inc"); inc && !split_commas(*inc).empty()) {
      fields = FieldSet::none();
      for (auto name : split_commas(*inc)) {
        const auto field = field_from_name(lower(name));
        if (field) {
          fields.add(*field);
        } else if (strict_) {
          return unknown_field(name);
        }
      }
    }
    if (const auto* exc = given_.find("exc")) {
      for (auto name : split_commas(*exc)) {
        const auto field = field_from_name(lower(name));
        if (field) {
          fields.remove(*field);
        } else if (strict_) {
          return unknown_field(name);
        }
      }
    }
    request.fields = fields;
    return Status::ok();
  }

  static Status unknown_field(std::string_view name) {
    return invalid_argument("unknown field '" + std::string(name) +
                            "' (fields: gender, name, location, email, login, registered, dob, "
                            "phone, cell, id, picture, nat)");
  }

  Status parse_nationalities(ApiRequest& request) {
    const auto* text = either("nat", "nationality");
    if (!text) return Status::ok();
    std::vector<const Nationality*> chosen;
    for (auto code : split_commas(*text)) {
      const auto* nationality = find_nationality(code);
      if (!nationality) {
        if (strict_) {
          return invalid_argument("unknown nationality '" + std::string(code) +
                                  "' (expected AU, BR, CA, CH, DE, DK, ES, FI, FR, GB, IE, IN, "
                                  "IR, MX, NL, NO, NZ, RS, TR, UA or US)");
        }
        // As randomuser: one unknown code and the whole list is ignored.
        return Status::ok();
      }
      if (std::find(chosen.begin(), chosen.end(), nationality) == chosen.end()) {
        chosen.push_back(nationality);
      }
    }
    request.generator.nationalities = std::move(chosen);
    return Status::ok();
  }

  static std::string two_hex(std::size_t index) {
    static constexpr char kHex[] = "0123456789abcdef";
    return {kHex[index >> 4 & 0xf], kHex[index & 0xf]};
  }

  static std::size_t index_of(const Nationality* nationality) {
    return static_cast<std::size_t>(nationality - all_nationalities().data());
  }

  Status parse_seed_and_gender(ApiRequest& request) {
    auto& generator = request.generator;
    const auto* seed = given_.find("seed");
    const auto* gender = given_.find("gender");
    if (gender) {
      if (*gender == "male") {
        generator.gender = Gender::kMale;
      } else if (*gender == "female") {
        generator.gender = Gender::kFemale;
      } else if (strict_) {
        return invalid_argument("gender must be male or female, not '" + std::string(*gender) +
                                "'");
      }
    }
    if (seed && !seed->empty()) {
      if (strict_ && gender) {
        return invalid_argument("gender cannot be combined with seed (randomuser ignores it)");
      }
      generator.gender.reset();  // randomuser: a seed overrides gender
      generator.seed = *seed;
      // An 18-character seed is one that info.seed reported for a single
      // nationality: 16 characters and the nationality's index in hex.
      if (seed->size() == 18) {
        unsigned index = 0;
        const auto tail = seed->substr(16);
        const auto [end, error] = std::from_chars(tail.data(), tail.data() + 2, index, 16);
        if (error == std::errc() && end == tail.data() + 2 && index < all_nationalities().size()) {
          generator.nationalities = {&all_nationalities()[index]};
          generator.seed = seed->substr(0, 16);
        }
      }
    } else {
      generator.seed = random_seed();
    }
    request.info_seed = generator.seed;
    if (generator.nationalities.size() == 1) {
      request.info_seed += two_hex(index_of(generator.nationalities.front()));
    }
    return Status::ok();
  }

  Status parse_page(ApiRequest& request) {
    const auto* text = given_.find("page");
    if (!text) return Status::ok();
    const auto page = whole_number(*text);
    if (page && *page >= 1 && *page <= kMaxPage) {
      request.generator.page = *page;
    } else if (strict_) {
      return invalid_argument("page must be a whole number from 1 to " + std::to_string(kMaxPage) +
                              ", not '" + std::string(*text) + "'");
    }
    return Status::ok();
  }

  // "upper,lower,number,8-16": character sets, then a length or a range.
  Status parse_password(ApiRequest& request) {
    const auto* text = given_.find("password");
    if (!text || text->empty()) return Status::ok();
    static constexpr std::pair<std::string_view, std::string_view> kCharsets[] = {
        {"special", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"},
        {"upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        {"lower", "abcdefghijklmnopqrstuvwxyz"},
        {"number", "0123456789"}};
    const auto parts = split_commas(*text);
    PasswordPolicy policy;
    policy.alphabet.clear();
    std::vector<std::string_view> used;
    for (auto part : parts) {
      for (const auto& [name, characters] : kCharsets) {
        if (part == name && std::find(used.begin(), used.end(), name) == used.end()) {
          used.push_back(name);
          policy.alphabet += characters;
        }
      }
    }
    if (used.empty()) {
      if (strict_) {
        return invalid_argument("password needs at least one of special, upper, lower, number");
      }
      return Status::ok();  // as randomuser: a common password
    }
    // The length is the last element: "12" or "8-16".
    const std::string_view length = parts.empty() ? std::string_view() : parts.back();
    std::optional<std::int64_t> low, high;
    if (const auto dash = length.find('-'); dash != std::string_view::npos) {
      low = whole_number(length.substr(0, dash));
      high = whole_number(length.substr(dash + 1));
      if (low && high && *low > *high) std::swap(low, high);
    } else if (std::find(used.begin(), used.end(), length) == used.end()) {
      low = high = whole_number(length);
    }
    const bool low_ok = low && *low >= 1 && *low <= 64;
    const bool high_ok = high && *high >= 1 && *high <= 64 && (!low_ok || *high >= *low);
    const bool length_given = std::find(used.begin(), used.end(), length) == used.end();
    if (strict_ && length_given && (!low_ok || !high_ok)) {
      return invalid_argument("password length must be N or MIN-MAX within 1-64, not '" +
                              std::string(length) + "'");
    }
    policy.min_length = low_ok ? static_cast<int>(*low) : 8;
    policy.max_length = high_ok ? static_cast<int>(*high) : 64;
    request.generator.password = std::move(policy);
    return Status::ok();
  }

  bool strict_;
  LastValues given_;
};

}  // namespace

std::optional<OutputFormat> output_format_from_name(std::string_view name) {
  if (name == "json") return OutputFormat::kJson;
  if (name == "pretty" || name == "prettyjson") return OutputFormat::kPrettyJson;
  if (name == "jsonl") return OutputFormat::kJsonLines;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "yaml") return OutputFormat::kYaml;
  if (name == "xml") return OutputFormat::kXml;
  return std::nullopt;
}

std::string_view file_extension(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
    case OutputFormat::kPrettyJson:
      return "json";
    case OutputFormat::kJsonLines:
      return "jsonl";
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kYaml:
      return "yaml";
    case OutputFormat::kXml:
      return "xml";
  }
  return "json";
}

Result<ApiRequest> parse_api_request(const QueryParameters& parameters, Leniency leniency) {
  return Parser(parameters, leniency).parse();
}

}  // namespace runnel::datagen
