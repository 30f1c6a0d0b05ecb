// A request to the randomuser API 1.4, from its query parameters: what to
// generate (GeneratorOptions) and how to write it. The HTTP server parses
// leniently, with randomuser's own rules for bad values (results=abc gives
// one user, an unknown nat is ignored); the command line parses strictly and
// rejects them, since a typo on a flag should not go unnoticed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "datagen/random_user.h"
#include "datagen/user_generator.h"

namespace runnel::datagen {

inline constexpr std::int64_t kMaxResults = 5000;
inline constexpr std::int64_t kMaxPage = 10000;
inline constexpr std::string_view kApiVersion = "1.4";

enum class OutputFormat { kJson, kPrettyJson, kJsonLines, kCsv, kYaml, kXml };

// "json", "pretty" (or "prettyjson"), "jsonl", "csv", "yaml", "xml".
std::optional<OutputFormat> output_format_from_name(std::string_view name);
std::string_view file_extension(OutputFormat format);  // "json", "csv", ...

struct ApiRequest {
  GeneratorOptions generator;
  std::int64_t results = 1;
  FieldSet fields = FieldSet::all();
  OutputFormat format = OutputFormat::kJson;
  bool include_info = true;  // false with noinfo
  bool download = false;     // dl: served as an attachment
  std::string callback;      // JSONP callback name, json only
  std::string info_seed;     // the seed as `info.seed` reports it
};

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

enum class Leniency {
  kLikeRandomUser,  // invalid values fall back to defaults, unknown parameters are ignored
  kStrict,          // invalid values and unknown parameters are errors
};

// Parses query parameters (decoded names and values; a repeated name counts
// with its last value, as randomuser does).
Result<ApiRequest> parse_api_request(const QueryParameters& parameters, Leniency leniency);

}  // namespace runnel::datagen
