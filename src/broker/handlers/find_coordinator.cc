// FindCoordinator: this broker coordinates every group. Transactions are not
// served, so there is no transaction coordinator to find.
#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<FindCoordinatorResponse> handle(const FindCoordinatorRequest& request,
                                                       RequestContext& context) {
  FindCoordinatorResponse response;
  if (request.key_type != FindCoordinatorRequest::kGroupKey) {
    response.error_code = code(ErrorCode::kCoordinatorNotAvailable);
    response.error_message = "runnel coordinates groups only";
    response.node_id = -1;
    response.port = -1;
    co_return response;
  }
  const GroupConfig& config = context.broker.groups().config();
  response.node_id = config.node_id;
  response.host = config.host;
  response.port = config.port;
  co_return response;
}

}  // namespace runnel::broker
