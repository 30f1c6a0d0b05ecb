// OffsetCommit: answered once the offsets are durable.
#include "broker/broker.h"
#include "broker/group/group_coordinator.h"
#include "broker/handlers/handlers.h"

namespace runnel::broker {

boost::asio::awaitable<OffsetCommitResponse> handle(const OffsetCommitRequest& request,
                                                    RequestContext& context) {
  co_return co_await context.broker.groups().commit_offsets(request);
}

}  // namespace runnel::broker
