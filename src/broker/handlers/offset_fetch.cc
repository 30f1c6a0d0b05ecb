#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<OffsetFetchResponse> handle(const OffsetFetchRequest& request,
                                                   RequestContext& context) {
  co_return context.broker.groups().fetch_offsets(request);
}

}  // namespace runnel::broker
