// Round-trip checks for messages described with schema.h, driven by the
// messages' own fields(): encode a fully populated message in every version
// runnel serves, decode it, and compare field by field, expecting a field
// that is not on the wire in that version to come back at its default.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "broker/protocol/schema.h"

namespace runnel::broker::testing {

template <typename Message>
std::string encoded(const Message& message, WireFormat format) {
  std::string out;
  WireWriter writer(out);
  encode(writer, message, format);
  return out;
}

template <typename Request>
WireFormat format_of(int16_t version) {
  return {version, Request::kFlexibleVersions.contains(version)};
}

// Bytes written as hex pairs, spaces ignored: from_hex("00 01 74").
inline std::string from_hex(std::string_view hex) {
  std::string out;
  int pending = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n') continue;
    int nibble = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (pending < 0) {
      pending = nibble;
    } else {
      out.push_back(static_cast<char>(pending << 4 | nibble));
      pending = -1;
    }
  }
  return out;
}

inline std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 0xf]);
  }
  return out;
}

// Expects `message` to encode to exactly the bytes `hex`, and those bytes to
// decode, all of them, into a message that encodes to them again.
template <typename Message>
void expect_wire(const Message& message, WireFormat format, std::string_view hex) {
  std::string golden = from_hex(hex);
  EXPECT_EQ(to_hex(encoded(message, format)), to_hex(golden));
  WireReader reader(golden);
  Message back;
  decode(reader, back, format);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(reader.remaining(), 0u);
  EXPECT_EQ(to_hex(encoded(back, format)), to_hex(golden));
}

template <typename Owner, typename Member>
const Member& default_of(const Field<Owner, Member>& f) {
  static const Owner defaults{};
  return defaults.*(f.member);
}

// Expects `actual` to equal `expected` in every field on the wire in
// `version`, and every other field to hold its default.
template <typename T>
void expect_same(const T& expected, const T& actual, int16_t version, const std::string& path) {
  if constexpr (schema_detail::Described<T>) {
    std::apply(
        [&](const auto&... f) {
          (expect_same(f.versions.contains(version) ? expected.*(f.member) : default_of(f),
                       actual.*(f.member), version, path + "." + f.name),
           ...);
        },
        T::fields());
  } else if constexpr (schema_detail::is_vector<T>::value) {
    ASSERT_EQ(expected.size(), actual.size()) << path;
    for (size_t i = 0; i < expected.size(); ++i) {
      expect_same(expected[i], actual[i], version, path + "[" + std::to_string(i) + "]");
    }
  } else if constexpr (schema_detail::is_optional_vector<T>::value) {
    ASSERT_EQ(expected.has_value(), actual.has_value()) << path;
    if (expected) expect_same(*expected, *actual, version, path);
  } else {
    EXPECT_EQ(expected, actual) << path;
  }
}

// Expects every field of `message`, and of every element of its arrays, to
// differ from its default, so that a round trip shows each field travelled.
template <typename T>
void expect_populated(const T& message, const std::string& path) {
  std::apply(
      [&](const auto&... f) {
        auto check = [&](const auto& value, const auto& defaults, const std::string& name) {
          using Member = std::decay_t<decltype(value)>;
          if constexpr (schema_detail::is_vector<Member>::value) {
            EXPECT_FALSE(value.empty()) << name;
            if constexpr (schema_detail::Described<typename Member::value_type>) {
              for (const auto& element : value) expect_populated(element, name);
            }
          } else if constexpr (schema_detail::is_optional_vector<Member>::value) {
            ASSERT_TRUE(value.has_value()) << name;
            EXPECT_FALSE(value->empty()) << name;
            if constexpr (schema_detail::Described<typename Member::value_type::value_type>) {
              for (const auto& element : *value) expect_populated(element, name);
            }
          } else {
            EXPECT_NE(value, defaults) << name;
          }
        };
        (check(message.*(f.member), default_of(f), path + "." + f.name), ...);
      },
      T::fields());
}

// Encodes `message` in `format`, decodes it back, and expects the decoder to
// consume every byte, the fields of that version to match, and every
// truncation of the bytes to fail the reader.
template <typename Message>
void expect_round_trip(const Message& message, WireFormat format) {
  SCOPED_TRACE("version " + std::to_string(format.version) +
               (format.flexible ? " (flexible)" : " (classic)"));
  std::string bytes = encoded(message, format);
  WireReader reader(bytes);
  Message back;
  decode(reader, back, format);
  ASSERT_TRUE(reader.ok()) << reader.error();
  EXPECT_EQ(reader.remaining(), 0u);
  expect_same(message, back, format.version, "");
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    WireReader truncated(std::string_view(bytes).substr(0, cut));
    Message partial;
    decode(truncated, partial, format);
    EXPECT_FALSE(truncated.ok()) << "truncated to " << cut << " of " << bytes.size() << " bytes";
  }
}

// Round-trips a fully populated request and response in every version the
// request's API serves.
template <typename Request>
void expect_round_trips_in_every_version(const Request& request,
                                         const typename Request::Response& response) {
  expect_populated(request, "request");
  expect_populated(response, "response");
  for (int16_t v = Request::kVersions.min; v <= Request::kVersions.max; ++v) {
    expect_round_trip(request, format_of<Request>(v));
    expect_round_trip(response, format_of<Request>(v));
  }
}

}  // namespace runnel::broker::testing
