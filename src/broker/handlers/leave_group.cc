// LeaveGroup: up to v2 one member leaves and its error is the response's;
// from v3 each listed member has its own.
#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<LeaveGroupResponse> handle(const LeaveGroupRequest& request,
                                                  RequestContext& context) {
  GroupCoordinator& groups = context.broker.groups();
  if (context.api_version() >= 3) co_return groups.leave(request.group_id, request.members);

  LeaveGroupResponse response = groups.leave(request.group_id, {{request.member_id, std::nullopt}});
  response.error_code = response.members.at(0).error_code;
  response.members.clear();
  co_return response;
}

}  // namespace runnel::broker
