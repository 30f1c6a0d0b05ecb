// CQL data types, as the protocol names them in an [option] (spec section
// 4.2.5.2) and as CQL spells them ("map<text, int>").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace runnel::cql {

enum class TypeKind : std::uint16_t {
  kCustom = 0x0000,
  kAscii = 0x0001,
  kBigint = 0x0002,
  kBlob = 0x0003,
  kBoolean = 0x0004,
  kCounter = 0x0005,
  kDecimal = 0x0006,
  kDouble = 0x0007,
  kFloat = 0x0008,
  kInt = 0x0009,
  kTimestamp = 0x000B,
  kUuid = 0x000C,
  kVarchar = 0x000D,  // CQL's text and varchar
  kVarint = 0x000E,
  kTimeuuid = 0x000F,
  kInet = 0x0010,
  kDate = 0x0011,
  kTime = 0x0012,
  kSmallint = 0x0013,
  kTinyint = 0x0014,
  kList = 0x0020,
  kMap = 0x0021,
  kSet = 0x0022,
  kUdt = 0x0030,
  kTuple = 0x0031,
};

struct DataType {
  TypeKind kind = TypeKind::kBlob;
  // list<e> and set<e>: {e}; map<k, v>: {k, v}; otherwise empty.
  std::vector<DataType> parameters;
  // kCustom: the Java class name.
  std::string custom_class;

  static DataType of(TypeKind kind) { return DataType{kind, {}, {}}; }
  static DataType list_of(DataType element);
  static DataType set_of(DataType element);
  static DataType map_of(DataType key, DataType value);

  // Parses a CQL type name, case-insensitively: "int", "TEXT", "varchar",
  // "list<text>", "frozen<set<int>>", "map<text, bigint>".
  static Result<DataType> parse(std::string_view cql_name);

  // The CQL name as Cassandra's system_schema.columns shows it: "text",
  // "map<text, int>".
  std::string cql_name() const;

  bool is_collection() const {
    return kind == TypeKind::kList || kind == TypeKind::kSet || kind == TypeKind::kMap;
  }
  friend bool operator==(const DataType&, const DataType&) = default;
};

}  // namespace runnel::cql
