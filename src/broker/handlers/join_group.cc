// JoinGroup: suspends until the group's rebalance has gathered its members.
#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<JoinGroupResponse> handle(const JoinGroupRequest& request,
                                                 RequestContext& context) {
  JoinGroupRequest join = request;
  // v0 has no rebalance timeout; the session timeout stands in for it.
  if (context.api_version() == 0) join.rebalance_timeout_ms = join.session_timeout_ms;
  JoiningClient client{context.header.client_id.value_or(""), context.client_host,
                       /*require_known_member_id=*/context.api_version() >= 4};
  co_return co_await context.broker.groups().join(std::move(join), std::move(client));
}

}  // namespace runnel::broker
