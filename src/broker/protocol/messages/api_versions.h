// ApiVersions (key 18): which APIs and versions the broker serves.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "broker/protocol/api_key.h"
#include "broker/protocol/schema.h"

namespace runnel::broker {

struct ApiVersionsResponse {
  struct ApiVersion {
    int16_t api_key = 0;
    int16_t min_version = 0;
    int16_t max_version = 0;
    static constexpr auto fields() {
      return std::tuple{field("ApiKey", &ApiVersion::api_key, {0}),
                        field("MinVersion", &ApiVersion::min_version, {0}),
                        field("MaxVersion", &ApiVersion::max_version, {0})};
    }
  };
  int16_t error_code = 0;
  std::vector<ApiVersion> api_keys;
  int32_t throttle_time_ms = 0;
  static constexpr auto fields() {
    return std::tuple{field("ErrorCode", &ApiVersionsResponse::error_code, {0}),
                      field("ApiKeys", &ApiVersionsResponse::api_keys, {0}),
                      field("ThrottleTimeMs", &ApiVersionsResponse::throttle_time_ms, {1})};
  }
};

struct ApiVersionsRequest {
  static constexpr ApiKey kApiKey = ApiKey::kApiVersions;
  static constexpr Versions kVersions{0, 3};
  static constexpr Versions kFlexibleVersions{3};
  using Response = ApiVersionsResponse;

  std::string client_software_name;
  std::string client_software_version;
  static constexpr auto fields() {
    return std::tuple{
        field("ClientSoftwareName", &ApiVersionsRequest::client_software_name, {3}),
        field("ClientSoftwareVersion", &ApiVersionsRequest::client_software_version, {3})};
  }
};

}  // namespace runnel::broker
