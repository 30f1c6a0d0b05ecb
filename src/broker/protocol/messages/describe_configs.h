// DescribeConfigs (key 32): the configs of topics and brokers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct DescribeConfigsResponse {
  // DescribeConfigsSynonym.
  struct Synonym {
    std::string name;
    std::optional<std::string> value = std::string();
    int8_t source = 0;
    static constexpr auto fields() {
      return std::tuple{field("Name", &Synonym::name, {1}),
                        field("Value", &Synonym::value, {1}),
                        field("Source", &Synonym::source, {1})};
    }
  };
  // DescribeConfigsResourceResult: one config of a resource.
  struct Config {
    std::string name;
    std::optional<std::string> value = std::string();
    bool read_only = false;
    // v0 only; later versions say the same with ConfigSource.
    bool is_default = false;
    int8_t config_source = -1;
    bool is_sensitive = false;
    std::vector<Synonym> synonyms;
    int8_t config_type = 0;
    std::optional<std::string> documentation = std::string();
    static constexpr auto fields() {
      return std::tuple{field("Name", &Config::name, {0}),
                        field("Value", &Config::value, {0}),
                        field("ReadOnly", &Config::read_only, {0}),
                        field("IsDefault", &Config::is_default, {0, 0}),
                        field("ConfigSource", &Config::config_source, {1}),
                        field("IsSensitive", &Config::is_sensitive, {0}),
                        field("Synonyms", &Config::synonyms, {1}),
                        field("ConfigType", &Config::config_type, {3}),
                        field("Documentation", &Config::documentation, {3})};
    }
  };
  // DescribeConfigsResult: one resource.
  struct Result {
    int16_t error_code = 0;
    std::optional<std::string> error_message = std::string();
    int8_t resource_type = 0;
    std::string resource_name;
    std::vector<Config> configs;
    static constexpr auto fields() {
      return std::tuple{field("ErrorCode", &Result::error_code, {0}),
                        field("ErrorMessage", &Result::error_message, {0}),
                        field("ResourceType", &Result::resource_type, {0}),
                        field("ResourceName", &Result::resource_name, {0}),
                        field("Configs", &Result::configs, {0})};
    }
  };
  int32_t throttle_time_ms = 0;
  std::vector<Result> results;
  static constexpr auto fields() {
    return std::tuple{field("ThrottleTimeMs", &DescribeConfigsResponse::throttle_time_ms, {0}),
                      field("Results", &DescribeConfigsResponse::results, {0})};
  }
};

struct DescribeConfigsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kDescribeConfigs;
  static constexpr Versions kVersions{0, 4};
  static constexpr Versions kFlexibleVersions{4};
  using Response = DescribeConfigsResponse;

  // DescribeConfigsResource. ResourceType is 2 for a topic, 4 for a broker.
  struct Resource {
    int8_t resource_type = 0;
    std::string resource_name;
    // Null asks for every config of the resource.
    std::optional<std::vector<std::string>> configuration_keys = std::vector<std::string>();
    static constexpr auto fields() {
      return std::tuple{field("ResourceType", &Resource::resource_type, {0}),
                        field("ResourceName", &Resource::resource_name, {0}),
                        field("ConfigurationKeys", &Resource::configuration_keys, {0})};
    }
  };
  std::vector<Resource> resources;
  bool include_synonyms = false;
  bool include_documentation = false;
  static constexpr auto fields() {
    return std::tuple{
        field("Resources", &DescribeConfigsRequest::resources, {0}),
        field("IncludeSynonyms", &DescribeConfigsRequest::include_synonyms, {1}),
        field("IncludeDocumentation", &DescribeConfigsRequest::include_documentation, {3})};
  }
};

}  // namespace runnel::broker
