// A schema with one field of every type, id (a uuid) its key: the rows the
// sinks' tests write.
#pragma once

#include "stream/schema.h"

namespace runnel::sinks::testing {

inline stream::Schema every_type_schema() {
  using stream::FieldType;
  return {"every_type",
          {{"id", FieldType::kUuid, true},
           {"name", FieldType::kText, true},
           {"n", FieldType::kInt},
           {"big", FieldType::kBigint},
           {"x", FieldType::kDouble},
           {"ok", FieldType::kBoolean},
           {"at", FieldType::kTimestamp},
           {"note", FieldType::kText}},
          {"id"}};
}

}  // namespace runnel::sinks::testing
