#include "broker/server/api_table.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<ApiVersionsResponse> handle(const ApiVersionsRequest&, RequestContext&) {
  ApiVersionsResponse response;
  for (const ApiEntry& api : supported_apis()) {
    response.api_keys.push_back(
        {static_cast<int16_t>(api.key), api.versions.min, api.versions.max});
  }
  co_return response;
}

}  // namespace runnel::broker
