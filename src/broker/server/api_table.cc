#include "broker/server/api_table.h"

#include <array>

#include "broker/handlers/handlers.h"

namespace runnel::broker {
namespace {

template <typename Request>
bool expects_response(const Request&) {
  return true;
}

// A producer with acks=0 waits for no answer, so none is sent.
bool expects_response(const ProduceRequest& request) { return request.acks != 0; }

template <typename Request>
boost::asio::awaitable<bool> serve(WireReader& in, RequestContext& context, std::string& out,
                                   bool& respond) {
  WireFormat format{context.api_version(),
                    Request::kFlexibleVersions.contains(context.api_version())};
  Request request;
  decode(in, request, format);
  if (!in.ok()) co_return false;
  if (in.remaining() != 0) {
    in.fail(std::to_string(in.remaining()) + " bytes left over after the request body");
    co_return false;
  }
  auto response = co_await handle(request, context);
  respond = expects_response(request);
  WireWriter writer(out);
  encode(writer, response, format);
  co_return true;
}

template <typename Request>
constexpr ApiEntry entry() {
  return {Request::kApiKey, Request::kVersions, Request::kFlexibleVersions, &serve<Request>};
}

constexpr std::array kApis = {
    entry<ProduceRequest>(),         entry<FetchRequest>(),
    entry<ListOffsetsRequest>(),     entry<MetadataRequest>(),
    entry<OffsetCommitRequest>(),    entry<OffsetFetchRequest>(),
    entry<FindCoordinatorRequest>(), entry<JoinGroupRequest>(),
    entry<HeartbeatRequest>(),       entry<LeaveGroupRequest>(),
    entry<SyncGroupRequest>(),       entry<DescribeGroupsRequest>(),
    entry<ListGroupsRequest>(),      entry<ApiVersionsRequest>(),
    entry<CreateTopicsRequest>(),    entry<DeleteTopicsRequest>(),
    entry<InitProducerIdRequest>(),  entry<DescribeConfigsRequest>(),
};

}  // namespace

const ApiEntry* find_api(int16_t api_key) {
  for (const ApiEntry& api : kApis) {
    if (static_cast<int16_t>(api.key) == api_key) return &api;
  }
  return nullptr;
}

ApiVersionsResponse advertised_api_versions() {
  ApiVersionsResponse response;
  for (const ApiEntry& api : kApis) {
    int16_t min_version = api.key == ApiKey::kProduce ? int16_t{0} : api.versions.min;
    response.api_keys.push_back({static_cast<int16_t>(api.key), min_version, api.versions.max});
  }
  return response;
}

}  // namespace runnel::broker
