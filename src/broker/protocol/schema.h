// Kafka messages are described once, as data, and encoded and decoded from
// that description: the spirit of Kafka's own message JSON files.
//
// A message (or a struct inside one) is a C++ struct with a static fields()
// function that lists its fields in wire order, each with the member it maps
// to and the versions in which it is on the wire:
//
//   struct HeartbeatRequest {
//     std::string group_id;
//     int32_t generation_id = 0;
//     std::string member_id;
//     std::optional<std::string> group_instance_id;
//     static constexpr auto fields() {
//       return std::tuple{field("group_id", &HeartbeatRequest::group_id, {0}),
//                         field("generation_id", &HeartbeatRequest::generation_id, {0}),
//                         field("member_id", &HeartbeatRequest::member_id, {0}),
//                         field("group_instance_id", &HeartbeatRequest::group_instance_id, {3})};
//     }
//   };
//
// The member's C++ type picks the wire type:
//   bool, int8_t, int16_t, int32_t, int64_t, uint16_t, double   fixed width
//   std::string / std::optional<std::string>                    (nullable) string
//   Bytes / std::optional<Bytes>                                 (nullable) bytes;
//                                                                also "records"
//   Uuid                                                         uuid
//   std::vector<T> / std::optional<std::vector<T>>               (nullable) array of
//                                                                any of these or a struct
// In flexible versions strings, bytes and arrays take their compact forms and
// every struct ends with a tagged-field section. Tagged fields are skipped
// when read and not written (runnel sends none). A field absent in a version
// keeps its member's default, so defaults are Kafka's defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "broker/protocol/wire.h"

namespace runnel::broker {

// An inclusive version range; `Versions{3}` is "3+".
struct Versions {
  int16_t min = 0;
  int16_t max = INT16_MAX;
  constexpr bool contains(int16_t v) const { return v >= min && v <= max; }
};

inline constexpr Versions kNoVersions{1, 0};

template <typename Owner, typename Member>
struct Field {
  const char* name;
  Member Owner::*member;
  Versions versions;
};

template <typename Owner, typename Member>
constexpr Field<Owner, Member> field(const char* name, Member Owner::*member, Versions versions) {
  return {name, member, versions};
}

// How one message is being read or written: its version, and whether that
// version is flexible.
struct WireFormat {
  int16_t version = 0;
  bool flexible = false;
};

namespace schema_detail {

template <typename T>
concept Described = requires {
  T::fields();
};

template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

template <typename T>
struct is_optional_vector : std::false_type {};
template <typename T>
struct is_optional_vector<std::optional<std::vector<T>>> : std::true_type {};

template <typename T>
void write_value(WireWriter& out, const T& value, WireFormat format);
template <typename T>
void read_value(WireReader& in, T& value, WireFormat format);

template <Described T>
void write_struct(WireWriter& out, const T& value, WireFormat format) {
  std::apply(
      [&](const auto&... f) {
        ((f.versions.contains(format.version) ? write_value(out, value.*(f.member), format)
                                              : void()),
         ...);
      },
      T::fields());
  if (format.flexible) out.write_empty_tagged_fields();
}

template <Described T>
void read_struct(WireReader& in, T& value, WireFormat format) {
  std::apply(
      [&](const auto&... f) {
        ((f.versions.contains(format.version) ? read_value(in, value.*(f.member), format) : void()),
         ...);
      },
      T::fields());
  if (format.flexible) in.skip_tagged_fields();
}

template <typename T>
void write_value(WireWriter& out, const T& value, WireFormat format) {
  if constexpr (std::is_same_v<T, bool>) {
    out.write_bool(value);
  } else if constexpr (std::is_same_v<T, int8_t>) {
    out.write_int8(value);
  } else if constexpr (std::is_same_v<T, int16_t>) {
    out.write_int16(value);
  } else if constexpr (std::is_same_v<T, int32_t>) {
    out.write_int32(value);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    out.write_int64(value);
  } else if constexpr (std::is_same_v<T, uint16_t>) {
    out.write_uint16(value);
  } else if constexpr (std::is_same_v<T, double>) {
    out.write_float64(value);
  } else if constexpr (std::is_same_v<T, Uuid>) {
    out.write_uuid(value);
  } else if constexpr (std::is_same_v<T, std::string>) {
    out.write_string(value, format.flexible);
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    out.write_string(value ? std::optional<std::string_view>(*value) : std::nullopt,
                     format.flexible);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    out.write_bytes(value.value, format.flexible);
  } else if constexpr (std::is_same_v<T, std::optional<Bytes>>) {
    out.write_bytes(value ? std::optional<std::string_view>(value->value) : std::nullopt,
                    format.flexible);
  } else if constexpr (is_vector<T>::value) {
    out.write_array_length(value.size(), format.flexible);
    for (const auto& element : value) write_value(out, element, format);
  } else if constexpr (is_optional_vector<T>::value) {
    if (!value) {
      out.write_array_length(std::nullopt, format.flexible);
    } else {
      write_value(out, *value, format);
    }
  } else {
    static_assert(Described<T>, "no wire type for this member type");
    write_struct(out, value, format);
  }
}

template <typename T>
void read_value(WireReader& in, T& value, WireFormat format) {
  if constexpr (std::is_same_v<T, bool>) {
    value = in.read_bool();
  } else if constexpr (std::is_same_v<T, int8_t>) {
    value = in.read_int8();
  } else if constexpr (std::is_same_v<T, int16_t>) {
    value = in.read_int16();
  } else if constexpr (std::is_same_v<T, int32_t>) {
    value = in.read_int32();
  } else if constexpr (std::is_same_v<T, int64_t>) {
    value = in.read_int64();
  } else if constexpr (std::is_same_v<T, uint16_t>) {
    value = in.read_uint16();
  } else if constexpr (std::is_same_v<T, double>) {
    value = in.read_float64();
  } else if constexpr (std::is_same_v<T, Uuid>) {
    value = in.read_uuid();
  } else if constexpr (std::is_same_v<T, std::string>) {
    auto s = in.read_string(format.flexible);
    if (!s && in.ok()) in.fail("null where a string is required");
    value = s.value_or(std::string());
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    value = in.read_string(format.flexible);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    value.value = in.read_bytes(format.flexible).value_or(std::string());
  } else if constexpr (std::is_same_v<T, std::optional<Bytes>>) {
    auto b = in.read_bytes(format.flexible);
    if (b) {
      value = Bytes{std::move(*b)};
    } else {
      value.reset();
    }
  } else if constexpr (is_vector<T>::value) {
    auto n = in.read_array_length(format.flexible);
    value.clear();
    if (!n) return;
    value.resize(*n);
    for (auto& element : value) {
      read_value(in, element, format);
      if (!in.ok()) return;
    }
  } else if constexpr (is_optional_vector<T>::value) {
    auto n = in.read_array_length(format.flexible);
    if (!n) {
      value.reset();
      return;
    }
    value.emplace(*n);
    for (auto& element : *value) {
      read_value(in, element, format);
      if (!in.ok()) return;
    }
  } else {
    static_assert(Described<T>, "no wire type for this member type");
    read_struct(in, value, format);
  }
}

}  // namespace schema_detail

// Appends `message` as it is on the wire in `format`.
template <typename Message>
void encode(WireWriter& out, const Message& message, WireFormat format) {
  schema_detail::write_struct(out, message, format);
}

// Reads a `Message` in `format`. On malformed input `in.ok()` is false
// afterwards and the message is partly filled.
template <typename Message>
void decode(WireReader& in, Message& message, WireFormat format) {
  schema_detail::read_struct(in, message, format);
}

}  // namespace runnel::broker
