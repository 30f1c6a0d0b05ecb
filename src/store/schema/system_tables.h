// The system tables drivers read when they connect and build metadata, as
// Cassandra 3.11 has them: system.local, system.peers, system.peers_v2 and
// system_schema.*. Their rows are computed from the catalog, never stored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/schema/table.h"

namespace runnel::store::schema {

// The release system.local shows. 3.11 makes the Python driver use its
// SchemaParserV3 (4.x would make it query system_virtual_schema too).
inline constexpr char kReleaseVersion[] = "3.11.16";

// Adds the system, system_schema, system_auth, system_distributed and
// system_traces keyspaces with their virtual tables.
void add_system_keyspaces(Catalog& catalog);

struct NodeInfo {
  std::string address;  // rpc, broadcast and listen address
  std::string host_id;  // 16 bytes
};

// The rows of a virtual table, each with a value per column of
// table.columns, in primary key order.
std::vector<std::vector<std::optional<std::string>>> system_rows(const TableDef& table,
                                                                 const Catalog& catalog,
                                                                 const NodeInfo& node);

}  // namespace runnel::store::schema
