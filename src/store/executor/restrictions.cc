#include "store/executor/restrictions.h"

#include <algorithm>

#include "cql/murmur3.h"
#include "cql/value.h"
#include "store/executor/request_error.h"
#include "store/executor/terms.h"
#include "store/storage/keys.h"

namespace runnel::store::executor {
namespace {

using cql3::Operator;
using runnel::cql::DataType;
using schema::ColumnKind;

std::string bound_value(const cql3::Term& term, const DataType& type, const std::string& column,
                        const std::vector<BoundValue>& values) {
  TermValue value = evaluate(term, type, column, values);
  if (value.state == BoundValue::State::kUnset)
    throw_invalid("Invalid unset value for column " + column);
  if (!value.is_set()) throw_invalid("Invalid null value in condition for column " + column);
  return value.bytes;
}

// The values a relation compares with: one, or IN's list (literal or bound
// as one list value).
std::vector<std::string> relation_values(const cql3::Relation& relation, const DataType& type,
                                         const std::string& column,
                                         const std::vector<BoundValue>& values) {
  std::vector<std::string> out;
  if (relation.op == Operator::kIn && relation.in_list) {
    for (const auto& term : relation.in_values)
      out.push_back(bound_value(term, type, column, values));
  } else if (relation.op == Operator::kIn) {
    std::string list = bound_value(relation.value, DataType::list_of(type), column, values);
    auto elements = runnel::cql::decode_collection(list, false);
    if (!elements) throw_invalid("Invalid list for IN on " + column);
    for (auto element : *elements) out.emplace_back(element);
  } else if (relation.op == Operator::kContains) {
    out.push_back(bound_value(relation.value, type.is_collection() ? type.parameters.back() : type,
                              column, values));
  } else if (relation.op == Operator::kContainsKey) {
    if (type.kind != runnel::cql::TypeKind::kMap)
      throw_invalid("Cannot use CONTAINS KEY on non-map column " + column);
    out.push_back(bound_value(relation.value, type.parameters[0], column, values));
  } else {
    out.push_back(bound_value(relation.value, type, column, values));
  }
  if (relation.op == Operator::kIn) {
    std::sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
      return runnel::cql::compare(type, a, b) < 0;
    });
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

bool is_equality(Operator op) { return op == Operator::kEq || op == Operator::kIn; }

// token(...)'s value: a bigint, or token() of partition key values.
std::int64_t token_value(const schema::TableDef& table, const cql3::Term& term,
                         const std::vector<BoundValue>& values) {
  if (term.kind == cql3::Term::Kind::kFunction && term.text == "token") {
    if (term.elements.size() != table.partition_key_count) {
      throw_invalid("Invalid number of arguments in call to function token: " +
                    std::to_string(table.partition_key_count) + " required but " +
                    std::to_string(term.elements.size()) + " provided");
    }
    std::vector<std::string> components;
    for (std::size_t i = 0; i < term.elements.size(); ++i) {
      components.push_back(
          bound_value(term.elements[i], table.columns[i].type, table.columns[i].name, values));
    }
    return runnel::cql::murmur3_token(storage::serialize_partition_key(components));
  }
  std::string bytes = bound_value(term, DataType::of(runnel::cql::TypeKind::kBigint),
                                  "partition key token", values);
  return runnel::cql::decode_bigint(bytes);
}

// (c1, c2) op (t1, t2): clustering columns in their order.
BoundRelation tuple_relation(const schema::TableDef& table, const cql3::Relation& relation,
                             const std::vector<BoundValue>& values) {
  BoundRelation bound;
  bound.op = relation.op;
  if (relation.op == Operator::kIn || relation.op == Operator::kNeq ||
      relation.op == Operator::kContains || relation.op == Operator::kContainsKey) {
    throw_invalid("Unsupported operator for a multi-column relation");
  }
  if (relation.columns.size() != relation.in_values.size()) {
    throw_invalid("Expected " + std::to_string(relation.columns.size()) +
                  " elements in value tuple, but got " + std::to_string(relation.in_values.size()));
  }
  for (std::size_t i = 0; i < relation.columns.size(); ++i) {
    std::size_t column = resolve_column(table, relation.columns[i]);
    const auto& definition = table.columns[column];
    if (definition.kind != ColumnKind::kClustering) {
      throw_invalid(
          "Multi-column relations can only be applied to clustering columns but was applied to: " +
          definition.name);
    }
    bound.tuple_columns.push_back(column);
    bound.values.push_back(
        bound_value(relation.in_values[i], definition.type, definition.name, values));
  }
  bound.column = bound.tuple_columns[0];
  return bound;
}

// Cassandra refuses two relations on a column when one is an equality, and
// two bounds on the same side.
void check_not_contradictory(const schema::TableDef& table,
                             const std::vector<const BoundRelation*>& relations) {
  if (relations.size() < 2) return;
  int lower = 0;
  int upper = 0;
  for (const auto* relation : relations) {
    const std::string& name = table.columns[relation->column].name;
    if (is_equality(relation->op)) {
      throw_invalid(name +
                    " cannot be restricted by more than one relation if it includes an Equal");
    }
    if (relation->op == Operator::kGt || relation->op == Operator::kGe) ++lower;
    if (relation->op == Operator::kLt || relation->op == Operator::kLe) ++upper;
    if (lower > 1)
      throw_invalid("More than one restriction was found for the start bound on " + name);
    if (upper > 1)
      throw_invalid("More than one restriction was found for the end bound on " + name);
  }
}

}  // namespace

std::vector<std::vector<std::string>> cartesian(
    const std::vector<std::vector<std::string>>& lists) {
  std::vector<std::vector<std::string>> product{{}};
  std::size_t size = 1;
  for (const auto& list : lists) {
    size *= std::max<std::size_t>(list.size(), 1);
    if (size > kMaxCartesianProduct) {
      throw_invalid("IN restrictions name " + std::to_string(size) +
                    " or more keys; the limit is " + std::to_string(kMaxCartesianProduct));
    }
  }
  for (const auto& list : lists) {
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : product) {
      for (const auto& value : list) {
        auto combined = prefix;
        combined.push_back(value);
        next.push_back(std::move(combined));
      }
    }
    product = std::move(next);
  }
  return product;
}

Restrictions bind_restrictions(const schema::TableDef& table,
                               const std::vector<cql3::Relation>& where,
                               const std::vector<BoundValue>& values) {
  Restrictions restrictions;
  std::vector<std::vector<const BoundRelation*>> by_column(table.columns.size());
  for (const auto& relation : where) {
    if (relation.on_token) {
      if (relation.columns.size() != table.partition_key_count) {
        throw_invalid(
            "The token() function must be applied to all partition key components or none of them");
      }
      for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        if (resolve_column(table, relation.columns[i]) != i) {
          std::string order;
          for (std::size_t k = 0; k < table.partition_key_count; ++k) {
            order += (k ? ", " : "") + table.columns[k].name;
          }
          throw_invalid("The token function arguments must be in the partition key order: " +
                        order);
        }
      }
      std::int64_t token = token_value(table, relation.value, values);
      restrictions.on_token = true;
      switch (relation.op) {
        case Operator::kEq:
          restrictions.min_token = std::max(restrictions.min_token, token);
          restrictions.max_token = std::min(restrictions.max_token, token);
          break;
        case Operator::kGt:
          if (token == INT64_MAX)
            restrictions.min_token = INT64_MAX, restrictions.max_token = INT64_MIN;
          else
            restrictions.min_token = std::max(restrictions.min_token, token + 1);
          break;
        case Operator::kGe:
          restrictions.min_token = std::max(restrictions.min_token, token);
          break;
        case Operator::kLt:
          if (token == INT64_MIN)
            restrictions.min_token = INT64_MAX, restrictions.max_token = INT64_MIN;
          else
            restrictions.max_token = std::min(restrictions.max_token, token - 1);
          break;
        case Operator::kLe:
          restrictions.max_token = std::min(restrictions.max_token, token);
          break;
        default:
          throw_invalid("Only EQ and range relations are supported on token()");
      }
      continue;
    }
    if (relation.multi_column) {
      restrictions.relations.push_back(tuple_relation(table, relation, values));
      continue;
    }
    std::size_t column = resolve_column(table, relation.columns[0]);
    const auto& definition = table.columns[column];
    if (relation.op == Operator::kIn && definition.kind == ColumnKind::kRegular) {
      throw_invalid("IN predicates on non-primary-key columns (" + definition.name +
                    ") is not yet supported");
    }
    if (relation.op == Operator::kNeq) {
      throw_invalid("Unsupported \"!=\" relation: " + definition.name + " != ...");
    }
    if ((relation.op == Operator::kContains || relation.op == Operator::kContainsKey) &&
        !definition.type.is_collection()) {
      throw_invalid("Cannot use CONTAINS on non-collection column " + definition.name);
    }
    restrictions.relations.push_back(
        BoundRelation{column,
                      relation.op,
                      relation_values(relation, definition.type, definition.name, values),
                      {}});
  }
  for (const auto& relation : restrictions.relations) {
    by_column[relation.column].push_back(&relation);
  }
  for (const auto& relations : by_column) check_not_contradictory(table, relations);

  // Partition key: every column with exactly one = or IN names partitions.
  bool all_partition = true;
  bool any_partition = false;
  std::vector<std::vector<std::string>> partition_values;
  for (std::size_t i = 0; i < table.partition_key_count; ++i) {
    const auto& relations = by_column[i];
    if (!relations.empty()) any_partition = true;
    if (relations.size() != 1 || !is_equality(relations[0]->op)) {
      all_partition = false;
      continue;
    }
    partition_values.push_back(relations[0]->values);
  }
  if (all_partition) {
    std::vector<std::string> keys;
    for (const auto& components : cartesian(partition_values)) {
      keys.push_back(storage::serialize_partition_key(components));
    }
    restrictions.partition_keys = std::move(keys);
  } else if (any_partition) {
    restrictions.needs_filtering = true;
  }

  // Clustering: = or IN from the first column on, then at most one range
  // (or one tuple relation).
  const std::size_t first = table.partition_key_count;
  std::string previous;  // the last clustering column seen
  bool previous_restricted = true;
  bool previous_equality = true;
  for (std::size_t i = first; i < first + table.clustering_count; ++i) {
    const auto& relations = by_column[i];
    const std::string& name = table.columns[i].name;
    if (relations.empty()) {
      previous_restricted = false;
      previous = name;
      continue;
    }
    if (!previous_restricted || !previous_equality || !all_partition) {
      restrictions.needs_filtering = true;
      if (restrictions.clustering_problem.empty() && all_partition) {
        restrictions.clustering_problem =
            !previous_restricted
                ? "PRIMARY KEY column \"" + name +
                      "\" cannot be restricted as preceding column \"" + previous +
                      "\" is not restricted"
                : "Clustering column \"" + name + "\" cannot be restricted (preceding column \"" +
                      previous + "\" is restricted by a non-EQ relation)";
      }
      previous = name;
      previous_equality = false;
      continue;
    }
    previous = name;
    if (relations.size() == 1 && is_equality(relations[0]->op) &&
        relations[0]->tuple_columns.empty()) {
      restrictions.clustering_prefix.push_back(relations[0]->values);
      continue;
    }
    previous_equality = false;
    for (const auto* relation : relations) {
      if (!relation->tuple_columns.empty()) continue;  // evaluated as a filter on the row
      switch (relation->op) {
        case Operator::kGt:
        case Operator::kGe:
          restrictions.clustering_lower = *relation;
          break;
        case Operator::kLt:
        case Operator::kLe:
          restrictions.clustering_upper = *relation;
          break;
        default:
          restrictions.needs_filtering = true;
      }
    }
  }
  for (std::size_t i = table.partition_key_count + table.clustering_count; i < table.columns.size();
       ++i) {
    if (!by_column[i].empty()) restrictions.needs_filtering = true;
  }
  return restrictions;
}

bool satisfies(const schema::TableDef& table, const std::vector<BoundRelation>& relations,
               const std::vector<std::optional<std::string>>& row) {
  for (const auto& relation : relations) {
    if (!relation.tuple_columns.empty()) {
      int c = 0;
      for (std::size_t i = 0; i < relation.tuple_columns.size() && c == 0; ++i) {
        std::size_t column = relation.tuple_columns[i];
        if (!row[column]) return false;
        c = runnel::cql::compare(table.columns[column].type, *row[column], relation.values[i]);
      }
      bool keep =
          (relation.op == Operator::kEq && c == 0) || (relation.op == Operator::kLt && c < 0) ||
          (relation.op == Operator::kLe && c <= 0) || (relation.op == Operator::kGt && c > 0) ||
          (relation.op == Operator::kGe && c >= 0);
      if (!keep) return false;
      continue;
    }
    const auto& value = row[relation.column];
    if (!value) return false;
    const DataType& type = table.columns[relation.column].type;
    switch (relation.op) {
      case Operator::kEq:
      case Operator::kIn: {
        bool found = std::any_of(
            relation.values.begin(), relation.values.end(),
            [&](const std::string& v) { return runnel::cql::compare(type, *value, v) == 0; });
        if (!found) return false;
        break;
      }
      case Operator::kLt:
        if (runnel::cql::compare(type, *value, relation.values[0]) >= 0) return false;
        break;
      case Operator::kLe:
        if (runnel::cql::compare(type, *value, relation.values[0]) > 0) return false;
        break;
      case Operator::kGt:
        if (runnel::cql::compare(type, *value, relation.values[0]) <= 0) return false;
        break;
      case Operator::kGe:
        if (runnel::cql::compare(type, *value, relation.values[0]) < 0) return false;
        break;
      case Operator::kNeq:
        if (runnel::cql::compare(type, *value, relation.values[0]) == 0) return false;
        break;
      case Operator::kContains:
      case Operator::kContainsKey: {
        bool is_map = type.kind == runnel::cql::TypeKind::kMap;
        auto elements = runnel::cql::decode_collection(*value, is_map);
        if (!elements) return false;
        bool keys = relation.op == Operator::kContainsKey;
        const DataType& element_type = keys || !is_map ? type.parameters[0] : type.parameters[1];
        bool found = false;
        for (std::size_t i = 0; i < elements->size() && !found; ++i) {
          if (is_map && (i % 2 == 0) != keys) continue;
          found = runnel::cql::compare(element_type, (*elements)[i], relation.values[0]) == 0;
        }
        if (!found) return false;
        break;
      }
    }
  }
  return true;
}

}  // namespace runnel::store::executor
