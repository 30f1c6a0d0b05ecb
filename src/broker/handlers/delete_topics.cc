#include "broker/broker.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_registry.h"

namespace runnel::broker {

// Before v6 topics are named in topic_names; from v6 in topics, by name or
// by id.
boost::asio::awaitable<DeleteTopicsResponse> handle(const DeleteTopicsRequest& request,
                                                    RequestContext& context) {
  TopicRegistry& topics = context.broker.topics();
  DeleteTopicsResponse response;
  auto remove = [&](std::optional<std::string> name, const Uuid& id) {
    DeleteTopicsResponse::Topic& result = response.responses.emplace_back();
    Topic* topic = name ? topics.find(*name) : topics.find_by_id(id);
    if (!topic) {
      result.name = name;
      result.topic_id = id;
      result.error_code =
          code(name ? ErrorCode::kUnknownTopicOrPartition : ErrorCode::kUnknownTopicId);
      result.error_message = name ? "This server does not host this topic-partition."
                                  : "This server does not host this topic ID.";
      return;
    }
    result.name = topic->name;
    result.topic_id = topic->id;
    TopicError error = topics.remove(topic->name);
    result.error_code = code(error.code);
    if (!error.ok()) result.error_message = error.message;
  };
  for (const std::string& name : request.topic_names) remove(name, Uuid{});
  for (const DeleteTopicsRequest::Topic& topic : request.topics) remove(topic.name, topic.topic_id);
  co_return response;
}

}  // namespace runnel::broker
