// SyncGroup: a follower's request suspends until the leader's assignments arrive.
#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<SyncGroupResponse> handle(const SyncGroupRequest& request,
                                                 RequestContext& context) {
  co_return co_await context.broker.groups().sync(request);
}

}  // namespace runnel::broker
