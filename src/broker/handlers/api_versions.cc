#include "broker/handlers/handlers.h"
#include "broker/server/api_table.h"

namespace runnel::broker {

boost::asio::awaitable<ApiVersionsResponse> handle(const ApiVersionsRequest&, RequestContext&) {
  co_return advertised_api_versions();
}

}  // namespace runnel::broker
