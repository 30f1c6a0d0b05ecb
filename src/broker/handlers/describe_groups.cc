#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<DescribeGroupsResponse> handle(const DescribeGroupsRequest& request,
                                                      RequestContext& context) {
  DescribeGroupsResponse response;
  for (const auto& group_id : request.groups) {
    response.groups.push_back(context.broker.groups().describe_group(group_id));
  }
  co_return response;
}

}  // namespace runnel::broker
