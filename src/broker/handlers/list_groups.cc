#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<ListGroupsResponse> handle(const ListGroupsRequest& request,
                                                  RequestContext& context) {
  ListGroupsResponse response;
  response.groups = context.broker.groups().list_groups(request.states_filter);
  co_return response;
}

}  // namespace runnel::broker
