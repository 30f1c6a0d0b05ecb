#include <spdlog/spdlog.h>

#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/producer_ids.h"
#include "broker/protocol/error_code.h"

namespace runnel::broker {

// Idempotent producers only: runnel's broker has no transaction coordinator.
// A producer that asks again with its id and epoch (KIP-360) gets the next
// epoch of the same id, so its partitions' sequences start over cleanly.
boost::asio::awaitable<InitProducerIdResponse> handle(const InitProducerIdRequest& request,
                                                      RequestContext& context) {
  InitProducerIdResponse response;
  if (request.transactional_id && !request.transactional_id->empty()) {
    response.error_code = code(ErrorCode::kTransactionalIdAuthorizationFailed);
    response.producer_id = -1;
    response.producer_epoch = -1;
    co_return response;
  }
  if (request.producer_id >= 0 && request.producer_epoch >= 0 &&
      request.producer_epoch < INT16_MAX - 1) {
    response.producer_id = request.producer_id;
    response.producer_epoch = static_cast<int16_t>(request.producer_epoch + 1);
    co_return response;
  }
  auto id = context.broker.producer_ids().allocate();
  if (!id.is_ok()) {
    spdlog::error("InitProducerId: {}", id.status().message());
    response.error_code = code(ErrorCode::kKafkaStorageError);
    response.producer_id = -1;
    response.producer_epoch = -1;
    co_return response;
  }
  response.producer_id = *id;
  response.producer_epoch = 0;
  co_return response;
}

}  // namespace runnel::broker
