// Encoding helpers for the group APIs' message tests. `Request` names the API
// (its flexible versions decide the format of both request and response).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "broker/protocol/schema.h"

namespace runnel::broker::testing {

template <typename Request>
WireFormat format_of(int16_t version) {
  return {version, Request::kFlexibleVersions.contains(version)};
}

template <typename Request, typename Message>
std::string encoded(const Message& m, int16_t version) {
  std::string out;
  WireWriter writer(out);
  encode(writer, m, format_of<Request>(version));
  return out;
}

template <typename Request, typename Message>
Message decoded(std::string_view bytes, int16_t version) {
  WireReader reader(bytes);
  Message m;
  decode(reader, m, format_of<Request>(version));
  EXPECT_TRUE(reader.ok()) << "v" << version << ": " << reader.error();
  EXPECT_EQ(reader.remaining(), 0u) << "v" << version;
  return m;
}

// What `m` decodes to after encoding at `version`; checks that it encodes to
// the same bytes again.
template <typename Request, typename Message>
Message round_trip(const Message& m, int16_t version) {
  std::string bytes = encoded<Request>(m, version);
  Message back = decoded<Request, Message>(bytes, version);
  EXPECT_EQ(encoded<Request>(back, version), bytes) << "v" << version;
  return back;
}

template <typename Request, typename F>
void for_each_version(F&& check) {
  for (int16_t v = Request::kVersions.min; v <= Request::kVersions.max; ++v) {
    SCOPED_TRACE(::testing::Message() << "version " << v);
    check(v);
  }
}

}  // namespace runnel::broker::testing
