// The abstract syntax of the CQL statements the store executes, as the
// parser produces them. Names are already case-folded: unquoted identifiers
// lower-cased, quoted ones kept as written.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cql/codes.h"

namespace runnel::store::cql3 {

// A value in the text: a literal, a bind marker, a collection literal or a
// function call such as now().
struct Term {
  enum class Kind {
    kNull,
    kString,
    kInteger,  // text keeps a leading '-'
    kFloat,    // also NaN and Infinity
    kBoolean,  // text is "true" or "false"
    kUuid,
    kHex,  // text is the hex digits
    kBindMarker,
    kList,
    kSet,       // also {} of an unknown kind
    kMap,       // elements alternate key, value
    kFunction,  // text is the lower-cased name; elements are its arguments
  };
  Kind kind = Kind::kNull;
  std::string text;
  int marker = -1;  // kBindMarker: its position among the statement's markers
  std::vector<Term> elements;
};

struct QualifiedName {
  std::string keyspace;  // empty: the session's keyspace
  std::string name;
};

enum class Operator { kEq, kLt, kLe, kGt, kGe, kIn, kNeq, kContains, kContainsKey };

// One WHERE relation: `c = t`, `c IN (t, ...)`, `c IN ?`, `token(a, b) > t`.
struct Relation {
  std::vector<std::string> columns;  // one column, or the token() arguments
  bool on_token = false;
  Operator op = Operator::kEq;
  Term value;                   // unless op is kIn with a literal list
  std::vector<Term> in_values;  // kIn with a literal list
  bool in_list = false;         // in_values is used
  bool multi_column = false;    // (c1, c2) op (t1, t2): in_values holds the tuple
};

// An IF condition of UPDATE and DELETE: `c = t`, `m['k'] = t`, `c IN (...)`.
struct Condition {
  std::string column;
  std::optional<Term> element;
  Operator op = Operator::kEq;
  Term value;
  std::vector<Term> in_values;
  bool in_list = false;
};

struct Using {
  std::optional<Term> ttl;
  std::optional<Term> timestamp;
};

struct Property {
  std::string name;
  Term value;
};

struct CreateKeyspace {
  std::string name;
  bool if_not_exists = false;
  std::vector<Property> properties;
};

struct DropKeyspace {
  std::string name;
  bool if_exists = false;
};

struct ColumnDefinition {
  std::string name;
  std::string type;  // the CQL type as written
  bool is_static = false;
};

struct CreateTable {
  QualifiedName table;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;
  std::vector<std::string> partition_key;
  std::vector<std::string> clustering;
  std::vector<std::pair<std::string, bool>> clustering_order;  // column, descending
  std::vector<Property> properties;
  bool compact_storage = false;
  bool multiple_primary_keys = false;  // PRIMARY KEY given more than once
};

struct DropTable {
  QualifiedName table;
  bool if_exists = false;
};

struct TruncateTable {
  QualifiedName table;
};

struct Use {
  std::string keyspace;
};

struct Insert {
  QualifiedName table;
  std::vector<std::string> columns;
  std::vector<Term> values;
  bool if_not_exists = false;
  Using using_;
};

struct Assignment {
  enum class Kind { kSet, kAdd, kPrepend, kRemove, kSetElement };
  Kind kind = Kind::kSet;
  std::string column;
  Term value;
  std::optional<Term> element;  // kSetElement: the map key or list index
};

struct Update {
  QualifiedName table;
  Using using_;
  std::vector<Assignment> assignments;
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Condition> conditions;
};

struct DeleteTarget {
  std::string column;
  std::optional<Term> element;
};

struct Delete {
  QualifiedName table;
  std::vector<DeleteTarget> columns;  // empty: whole rows
  Using using_;
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Condition> conditions;
};

struct Selector {
  enum class Kind { kColumn, kCount, kWritetime, kTtl, kToken };
  Kind kind = Kind::kColumn;
  std::vector<std::string> columns;  // kColumn, kWritetime, kTtl: one; kToken: the arguments
  std::string alias;                 // empty: the default name
};

struct Select {
  QualifiedName table;
  bool star = false;
  bool distinct = false;
  bool json = false;
  std::vector<Selector> selectors;
  std::vector<Relation> where;
  std::vector<std::pair<std::string, bool>> order_by;  // column, descending
  std::optional<Term> limit;
  std::optional<Term> per_partition_limit;
  bool allow_filtering = false;
};

using Modification = std::variant<Insert, Update, Delete>;

struct Batch {
  runnel::cql::BatchType type = runnel::cql::BatchType::kLogged;
  Using using_;
  std::vector<Modification> statements;
};

using Statement = std::variant<CreateKeyspace, DropKeyspace, CreateTable, DropTable, TruncateTable,
                               Use, Insert, Update, Delete, Select, Batch>;

struct ParsedStatement {
  Statement statement;
  // One entry per bind marker, in order: its name for :name markers, else
  // empty.
  std::vector<std::string> marker_names;
};

}  // namespace runnel::store::cql3
