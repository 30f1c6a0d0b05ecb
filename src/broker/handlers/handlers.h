// One handler per Kafka API, each in its own file (handlers/<api>.cc). A
// handler takes the decoded request and returns the response to encode; the
// connection (server/connection.cc) does the framing, decoding, version checks
// and encoding, so a handler is only the API's meaning.
#pragma once

// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
// clang-format off
#include <utility>
// clang-format on

#include <boost/asio/awaitable.hpp>

#include "broker/protocol/messages/api_versions.h"
#include "broker/protocol/messages/create_topics.h"
#include "broker/protocol/messages/delete_topics.h"
#include "broker/protocol/messages/describe_configs.h"
#include "broker/protocol/messages/describe_groups.h"
#include "broker/protocol/messages/fetch.h"
#include "broker/protocol/messages/find_coordinator.h"
#include "broker/protocol/messages/heartbeat.h"
#include "broker/protocol/messages/init_producer_id.h"
#include "broker/protocol/messages/join_group.h"
#include "broker/protocol/messages/leave_group.h"
#include "broker/protocol/messages/list_groups.h"
#include "broker/protocol/messages/list_offsets.h"
#include "broker/protocol/messages/metadata.h"
#include "broker/protocol/messages/offset_commit.h"
#include "broker/protocol/messages/offset_fetch.h"
#include "broker/protocol/messages/produce.h"
#include "broker/protocol/messages/sync_group.h"
#include "broker/server/request_context.h"

namespace runnel::broker {

boost::asio::awaitable<ApiVersionsResponse> handle(const ApiVersionsRequest& request,
                                                   RequestContext& context);
boost::asio::awaitable<MetadataResponse> handle(const MetadataRequest& request,
                                                RequestContext& context);
boost::asio::awaitable<ProduceResponse> handle(const ProduceRequest& request,
                                               RequestContext& context);
boost::asio::awaitable<FetchResponse> handle(const FetchRequest& request, RequestContext& context);
boost::asio::awaitable<ListOffsetsResponse> handle(const ListOffsetsRequest& request,
                                                   RequestContext& context);
boost::asio::awaitable<CreateTopicsResponse> handle(const CreateTopicsRequest& request,
                                                    RequestContext& context);
boost::asio::awaitable<DeleteTopicsResponse> handle(const DeleteTopicsRequest& request,
                                                    RequestContext& context);
boost::asio::awaitable<DescribeConfigsResponse> handle(const DescribeConfigsRequest& request,
                                                       RequestContext& context);
boost::asio::awaitable<InitProducerIdResponse> handle(const InitProducerIdRequest& request,
                                                      RequestContext& context);

// Consumer groups (broker/group/GroupCoordinator). JoinGroup and SyncGroup
// suspend until their rebalance step completes.
boost::asio::awaitable<FindCoordinatorResponse> handle(const FindCoordinatorRequest& request,
                                                       RequestContext& context);
boost::asio::awaitable<JoinGroupResponse> handle(const JoinGroupRequest& request,
                                                 RequestContext& context);
boost::asio::awaitable<SyncGroupResponse> handle(const SyncGroupRequest& request,
                                                 RequestContext& context);
boost::asio::awaitable<HeartbeatResponse> handle(const HeartbeatRequest& request,
                                                 RequestContext& context);
boost::asio::awaitable<LeaveGroupResponse> handle(const LeaveGroupRequest& request,
                                                  RequestContext& context);
boost::asio::awaitable<OffsetCommitResponse> handle(const OffsetCommitRequest& request,
                                                    RequestContext& context);
boost::asio::awaitable<OffsetFetchResponse> handle(const OffsetFetchRequest& request,
                                                   RequestContext& context);
boost::asio::awaitable<ListGroupsResponse> handle(const ListGroupsRequest& request,
                                                  RequestContext& context);
boost::asio::awaitable<DescribeGroupsResponse> handle(const DescribeGroupsRequest& request,
                                                      RequestContext& context);

}  // namespace runnel::broker
