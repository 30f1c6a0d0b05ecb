#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<HeartbeatResponse> handle(const HeartbeatRequest& request,
                                                 RequestContext& context) {
  HeartbeatResponse response;
  response.error_code = code(context.broker.groups().heartbeat(request));
  co_return response;
}

}  // namespace runnel::broker
