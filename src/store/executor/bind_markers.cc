#include "store/executor/bind_markers.h"

#include "store/executor/request_error.h"
#include "store/executor/select.h"

namespace runnel::store::executor {
namespace {

using runnel::cql::DataType;
using runnel::cql::TypeKind;

class MarkerDescriber {
 public:
  MarkerDescriber(const Context& context, std::size_t count) : context_(context), specs_(count) {}

  void term(const cql3::Term& term, const ColumnSpec& receiver) {
    switch (term.kind) {
      case cql3::Term::Kind::kBindMarker:
        if (term.marker >= 0 && static_cast<std::size_t>(term.marker) < specs_.size()) {
          specs_[static_cast<std::size_t>(term.marker)] = receiver;
        }
        break;
      case cql3::Term::Kind::kList:
      case cql3::Term::Kind::kSet:
      case cql3::Term::Kind::kMap:
        for (std::size_t i = 0; i < term.elements.size(); ++i) {
          ColumnSpec element = receiver;
          const auto& parameters = receiver.type.parameters;
          if (!parameters.empty()) {
            element.type = (term.kind == cql3::Term::Kind::kMap && i % 2 == 1) ? parameters.back()
                                                                               : parameters[0];
          }
          this->term(term.elements[i], element);
        }
        break;
      default:
        break;
    }
  }

  ColumnSpec column(const schema::TableDef& table, const std::string& name) {
    const auto& definition = table.columns[resolve_column(table, name)];
    return ColumnSpec{table.keyspace, table.name, definition.name, definition.type};
  }

  ColumnSpec named(const schema::TableDef& table, std::string name, TypeKind kind) {
    return ColumnSpec{table.keyspace, table.name, std::move(name), DataType::of(kind)};
  }

  void using_clause(const schema::TableDef& table, const cql3::Using& using_) {
    if (using_.ttl) term(*using_.ttl, named(table, "[ttl]", TypeKind::kInt));
    if (using_.timestamp) term(*using_.timestamp, named(table, "[timestamp]", TypeKind::kBigint));
  }

  void where(const schema::TableDef& table, const std::vector<cql3::Relation>& relations) {
    for (const auto& relation : relations) {
      if (relation.on_token) {
        term(relation.value, named(table, "partition key token", TypeKind::kBigint));
        continue;
      }
      ColumnSpec spec = column(table, relation.columns[0]);
      if (relation.op == cql3::Operator::kEq) equalities_[spec.name] = relation.value.marker;
      if (relation.op == cql3::Operator::kIn && !relation.in_list) {
        spec.name = "in(" + spec.name + ")";
        spec.type = DataType::list_of(spec.type);
      }
      if (relation.op == cql3::Operator::kContains && spec.type.is_collection())
        spec.type = spec.type.parameters.back();
      if (relation.op == cql3::Operator::kContainsKey && spec.type.is_collection())
        spec.type = spec.type.parameters[0];
      term(relation.value, spec);
      for (const auto& value : relation.in_values) term(value, spec);
    }
  }

  void conditions(const schema::TableDef& table, const std::vector<cql3::Condition>& conditions) {
    for (const auto& condition : conditions) {
      ColumnSpec spec = column(table, condition.column);
      if (condition.element) {
        bool is_map = spec.type.kind == TypeKind::kMap;
        ColumnSpec key = spec;
        key.type = is_map ? spec.type.parameters[0] : DataType::of(TypeKind::kInt);
        term(*condition.element, key);
        if (!spec.type.parameters.empty()) spec.type = spec.type.parameters.back();
      }
      term(condition.value, spec);
      for (const auto& value : condition.in_values) term(value, spec);
    }
  }

  void modification(const cql3::Modification& statement) {
    if (const auto* insert = std::get_if<cql3::Insert>(&statement)) {
      auto table = resolve_table(context_, insert->table);
      for (std::size_t i = 0; i < insert->columns.size() && i < insert->values.size(); ++i) {
        ColumnSpec spec = column(*table, insert->columns[i]);
        equalities_[spec.name] = insert->values[i].marker;
        term(insert->values[i], spec);
      }
      using_clause(*table, insert->using_);
      table_ = table;
    } else if (const auto* update = std::get_if<cql3::Update>(&statement)) {
      auto table = resolve_table(context_, update->table);
      using_clause(*table, update->using_);
      for (const auto& assignment : update->assignments) {
        ColumnSpec spec = column(*table, assignment.column);
        if (assignment.element) {
          bool is_map = spec.type.kind == TypeKind::kMap;
          ColumnSpec key = spec;
          key.type = is_map ? spec.type.parameters[0] : DataType::of(TypeKind::kInt);
          term(*assignment.element, key);
          if (!spec.type.parameters.empty()) spec.type = spec.type.parameters.back();
        }
        term(assignment.value, spec);
      }
      where(*table, update->where);
      conditions(*table, update->conditions);
      table_ = table;
    } else {
      const auto& deletion = std::get<cql3::Delete>(statement);
      auto table = resolve_table(context_, deletion.table);
      for (const auto& target : deletion.columns) {
        if (!target.element) continue;
        ColumnSpec spec = column(*table, target.column);
        if (spec.type.kind != TypeKind::kList && !spec.type.parameters.empty())
          spec.type = spec.type.parameters[0];
        else
          spec.type = DataType::of(TypeKind::kInt);
        term(*target.element, spec);
      }
      using_clause(*table, deletion.using_);
      where(*table, deletion.where);
      conditions(*table, deletion.conditions);
      table_ = table;
    }
  }

  void select(const cql3::Select& select, Prepared& prepared) {
    auto table = resolve_table(context_, select.table);
    where(*table, select.where);
    if (select.per_partition_limit)
      term(*select.per_partition_limit, named(*table, "[per_partition_limit]", TypeKind::kInt));
    if (select.limit) term(*select.limit, named(*table, "[limit]", TypeKind::kInt));
    prepared.result_columns = select_columns(*table, select);
    table_ = table;
  }

  void finish(Prepared& prepared) {
    for (auto& spec : specs_) {
      if (!spec) throw_invalid("A bind marker is used where its type cannot be known");
      prepared.bound_columns.push_back(std::move(*spec));
    }
    if (table_ == nullptr) return;
    std::vector<std::uint16_t> indexes;
    for (std::size_t i = 0; i < table_->partition_key_count; ++i) {
      auto found = equalities_.find(table_->columns[i].name);
      if (found == equalities_.end() || found->second < 0) return;
      indexes.push_back(static_cast<std::uint16_t>(found->second));
    }
    prepared.partition_key_indexes = std::move(indexes);
  }

  std::shared_ptr<const schema::TableDef> table_;

 private:
  const Context& context_;
  std::vector<std::optional<ColumnSpec>> specs_;
  std::map<std::string, int> equalities_;  // column -> marker bound with =
};

}  // namespace

void describe_markers(const Context& context, const cql3::ParsedStatement& parsed,
                      Prepared& prepared) {
  MarkerDescriber describer(context, parsed.marker_names.size());
  const auto& statement = parsed.statement;
  if (const auto* select = std::get_if<cql3::Select>(&statement)) {
    describer.select(*select, prepared);
  } else if (const auto* insert = std::get_if<cql3::Insert>(&statement)) {
    describer.modification(*insert);
  } else if (const auto* update = std::get_if<cql3::Update>(&statement)) {
    describer.modification(*update);
  } else if (const auto* deletion = std::get_if<cql3::Delete>(&statement)) {
    describer.modification(*deletion);
  } else if (const auto* batch = std::get_if<cql3::Batch>(&statement)) {
    for (const auto& item : batch->statements) describer.modification(item);
    describer.table_.reset();
  }
  // Markers named with :name keep their name.
  describer.finish(prepared);
  for (std::size_t i = 0; i < parsed.marker_names.size() && i < prepared.bound_columns.size();
       ++i) {
    if (!parsed.marker_names[i].empty()) prepared.bound_columns[i].name = parsed.marker_names[i];
  }
}

}  // namespace runnel::store::executor
