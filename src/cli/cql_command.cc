// `runnel cql`: a small cqlsh. Runs CQL statements from -e, a file (-f) or
// stdin against any CQL endpoint (runnel store, Cassandra, ScyllaDB) and
// prints rows as cqlsh prints them. Statements run in order and the first
// error stops the run: it is one line on stderr, with the driver's error
// name ("InvalidRequest: ..."), and the exit code is 1.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "sinks/cql/cql_client.h"
#include "sinks/cql/cql_script.h"
#include "sinks/cql/cql_table.h"

namespace runnel::cli {
namespace {

struct CqlFlags {
  std::string host = "127.0.0.1:9042";
  std::string execute;
  std::string file;
  std::string user;
  std::string password;
  std::string keyspace;
  std::string consistency = "ONE";
  double timeout_seconds = 10;
  int page_size = 5000;
};

Result<cql::Consistency> parse_consistency(const std::string& name) {
  for (int value = 0; value <= static_cast<int>(cql::Consistency::kLocalOne); ++value) {
    auto consistency = static_cast<cql::Consistency>(value);
    if (cql::consistency_name(consistency) == name) return consistency;
  }
  return invalid_argument("--consistency: unknown level " + name);
}

Result<std::string> read_script(const CqlFlags& flags) {
  if (!flags.execute.empty()) return flags.execute;
  std::ifstream file;
  if (!flags.file.empty() && flags.file != "-") {
    file.open(flags.file, std::ios::binary);
    if (!file) return invalid_argument("cannot open " + flags.file);
  }
  std::istream& input = file.is_open() ? file : std::cin;
  std::string script{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
  if (input.bad()) return data_loss("reading " + (file.is_open() ? flags.file : "stdin"));
  return script;
}

// Runs one statement, fetching every page of its rows, and prints them.
Status run_statement(sinks::CqlClient& client, const std::string& cql,
                     store::QueryParameters parameters) {
  store::Rows all;
  bool has_rows = false;
  for (;;) {
    auto response = client.query(cql, parameters);
    if (!response) return response.status();
    if (const auto* error = std::get_if<store::CqlError>(&*response)) {
      return internal_error(sinks::describe(*error));
    }
    auto* rows = std::get_if<store::Rows>(&*response);
    if (rows == nullptr) break;
    if (!has_rows) all.columns = rows->columns;
    has_rows = true;
    for (auto& row : rows->rows) all.rows.push_back(std::move(row));
    if (!rows->paging_state) break;
    parameters.paging_state = rows->paging_state;
  }
  if (has_rows) std::fputs(sinks::format_rows_table(all).c_str(), stdout);
  std::fflush(stdout);
  return Status::ok();
}

Status run_cql(const CqlFlags& flags) {
  if (!flags.execute.empty() && !flags.file.empty()) {
    return invalid_argument("give -e or -f, not both");
  }
  if (!(flags.timeout_seconds > 0)) return invalid_argument("--timeout must be positive");
  if (flags.page_size < 1) return invalid_argument("--page-size must be at least 1");
  if (flags.password.empty() != flags.user.empty()) {
    return invalid_argument("--user and --password go together");
  }
  auto consistency = parse_consistency(flags.consistency);
  if (!consistency) return consistency.status();
  auto points = sinks::parse_contact_points(flags.host);
  if (!points) return invalid_argument("--host: " + points.status().message());
  auto script = read_script(flags);
  if (!script) return script.status();
  auto statements = sinks::split_cql_script(*script);
  if (!statements) return statements.status();

  sinks::CqlClientOptions options;
  options.contact_points = std::move(points).value();
  options.connection.user = flags.user;
  options.connection.password = flags.password;
  auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(flags.timeout_seconds * 1000));
  options.connection.connect_timeout = timeout;
  options.connection.request_timeout = timeout;
  options.connections_per_node = 1;
  options.give_up_after = std::chrono::milliseconds(0);  // one attempt: fail fast
  auto client = sinks::CqlClient::connect(options);
  // Refused credentials are a failure of the run (exit 1), not of its usage.
  if (!client) return internal_error(client.status().message());

  store::QueryParameters parameters;
  parameters.consistency = *consistency;
  parameters.page_size = flags.page_size;
  std::vector<sinks::ScriptStatement> to_run = std::move(statements).value();
  if (!flags.keyspace.empty()) {
    to_run.insert(to_run.begin(), {"USE \"" + flags.keyspace + "\"", 0});
  }
  for (const sinks::ScriptStatement& statement : to_run) {
    Status status = run_statement(**client, statement.text, parameters);
    if (status.is_ok()) continue;
    if (to_run.size() > 1 && statement.line > 0) {
      return {status.code(),
              status.message() + " (statement on line " + std::to_string(statement.line) + ")"};
    }
    return status;
  }
  return Status::ok();
}

}  // namespace

void add_cql_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  auto flags = std::make_shared<CqlFlags>();
  auto* command = app.add_subcommand(
      "cql", "Run CQL statements against a CQL endpoint and print rows as cqlsh does");
  command->add_option("--host", flags->host, "Contact points, host:port,...")
      ->capture_default_str();
  command->add_option("--execute,-e", flags->execute, "Statements to run (; between several)");
  command->add_option("--file,-f", flags->file, "File of statements to run, - for stdin");
  command->add_option("--user,-u", flags->user, "User for PasswordAuthenticator");
  command->add_option("--password,-p", flags->password, "Password for PasswordAuthenticator");
  command->add_option("--keyspace,-k", flags->keyspace, "Keyspace to USE first");
  command->add_option("--consistency", flags->consistency, "ONE, QUORUM, LOCAL_QUORUM, ALL, ...")
      ->capture_default_str();
  command->add_option("--timeout", flags->timeout_seconds, "Seconds to wait for an answer")
      ->capture_default_str();
  command->add_option("--page-size", flags->page_size, "Rows fetched per page")
      ->capture_default_str();
  command->callback([flags, &action] { action = [flags] { return run_cql(*flags); }; });
}

}  // namespace runnel::cli
