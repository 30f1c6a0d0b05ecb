#include "broker/protocol/request_header.h"

namespace runnel::broker {

RequestHeader read_request_header(WireReader& in) {
  RequestHeader header;
  header.api_key = in.read_int16();
  header.api_version = in.read_int16();
  header.correlation_id = in.read_int32();
  header.client_id = in.read_string(/*compact=*/false);
  return header;
}

}  // namespace runnel::broker
