#include "sinks/pg_connection.h"

#include <libpq-fe.h>

#include <string_view>

#include "common/logging.h"

namespace runnel::sinks {
namespace {

// SQLSTATEs after which the same work may succeed on a new connection or
// in a new transaction (PostgreSQL's appendix A).
bool retryable_sqlstate(std::string_view state) {
  return state.starts_with("08")     // connection exception
         || state.starts_with("53")  // insufficient resources (disk, memory, connections)
         || state == "57P01"         // admin_shutdown
         || state == "57P02"         // crash_shutdown
         || state == "57P03"         // cannot_connect_now
         || state == "40001"         // serialization_failure
         || state == "40P01";        // deadlock_detected
}

bool data_sqlstate(std::string_view state) {
  return state.starts_with("21")      // cardinality violation
         || state.starts_with("22")   // data exception: bad uuid, out of range, bad encoding
         || state.starts_with("23");  // integrity constraint violation
}

// libpq's message text on one line: its line breaks and indents become
// single spaces.
std::string trimmed(const char* text) {
  std::string out;
  for (const char* c = text == nullptr ? "" : text; *c != '\0'; ++c) {
    bool blank = *c == '\n' || *c == '\t' || *c == ' ';
    if (!blank) {
      out += *c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The error `result` (or, without one, the connection) reports, classified
// as pg_connection.h describes.
Status error_status(PGconn* conn, const PGresult* result, std::string_view what) {
  std::string state;
  std::string message;
  if (result != nullptr && PQresultErrorField(result, PG_DIAG_SQLSTATE) != nullptr) {
    state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    message = trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
      message += " (" + trimmed(detail) + ")";
    }
    if (const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT)) {
      message += " [" + trimmed(context) + "]";
    }
    message += " SQLSTATE " + state;
  } else {
    message = trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn));
    if (message.empty()) message = trimmed(PQerrorMessage(conn));
  }
  std::string text = "postgres: " + std::string(what) + ": " + message;
  if (PQstatus(conn) == CONNECTION_BAD || state.empty() || retryable_sqlstate(state)) {
    return unavailable(std::move(text));
  }
  if (data_sqlstate(state)) return invalid_argument(std::move(text));
  return internal_error(std::move(text));
}

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// The start of a statement, to say in an error which one failed.
std::string statement_head(const std::string& sql) {
  constexpr size_t kLength = 60;
  return sql.size() <= kLength ? sql : sql.substr(0, kLength) + "...";
}

std::vector<PgRow> rows_of(const PGresult* result) {
  std::vector<PgRow> rows(static_cast<size_t>(PQntuples(result)));
  int columns = PQnfields(result);
  for (size_t r = 0; r < rows.size(); ++r) {
    int row = static_cast<int>(r);
    rows[r].reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, row, c)) {
        rows[r].emplace_back(std::nullopt);
      } else {
        rows[r].emplace_back(std::string(PQgetvalue(result, row, c),
                                         static_cast<size_t>(PQgetlength(result, row, c))));
      }
    }
  }
  return rows;
}

std::vector<const char*> param_pointers(const PgParams& params) {
  std::vector<const char*> pointers;
  pointers.reserve(params.size());
  for (const auto& param : params) pointers.push_back(param ? param->c_str() : nullptr);
  return pointers;
}

// The server's NOTICEs ("relation already exists, skipping") go to the log
// instead of stderr.
void log_notice(void*, const char* message) { spdlog::debug("postgres: {}", trimmed(message)); }

}  // namespace

bool is_unique_violation(const Status& status) {
  return status.message().ends_with("SQLSTATE 23505");
}

struct PgConnection::Handle {
  PGconn* conn = nullptr;
  ~Handle() { PQfinish(conn); }

  // Ok when `result` has one of the expected statuses.
  Status check(const ResultPtr& result, std::string_view what, ExecStatusType expected) const {
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == expected) return Status::ok();
    return error_status(conn, result.get(), what);
  }
  Result<std::vector<PgRow>> rows(const ResultPtr& result, std::string_view what) const {
    ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_TUPLES_OK) return rows_of(result.get());
    if (status == PGRES_COMMAND_OK) return std::vector<PgRow>{};
    return error_status(conn, result.get(), what);
  }
};

Result<PgConnection> PgConnection::connect(const std::string& url) {
  // Later keywords override earlier ones, so the URL may override these.
  const char* keywords[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                            "keepalives_interval", "keepalives_count", "client_encoding",
                            "application_name",    "dbname",           nullptr};
  const char* values[] = {"10", "1", "10", "5", "2", "UTF8", "runnel", url.c_str(), nullptr};
  auto handle = std::make_unique<Handle>();
  handle->conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (handle->conn == nullptr) return unavailable("postgres: out of memory connecting");
  if (PQstatus(handle->conn) != CONNECTION_OK) {
    return unavailable("postgres: cannot connect: " + trimmed(PQerrorMessage(handle->conn)));
  }
  PQsetNoticeProcessor(handle->conn, log_notice, nullptr);
  return PgConnection(std::move(handle));
}

PgConnection::PgConnection(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
PgConnection::PgConnection(PgConnection&&) noexcept = default;
PgConnection& PgConnection::operator=(PgConnection&&) noexcept = default;
PgConnection::~PgConnection() = default;

Status PgConnection::execute(const std::string& sql) {
  ResultPtr result(PQexec(handle_->conn, sql.c_str()));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::ok();
  return error_status(handle_->conn, result.get(), statement_head(sql));
}

Result<std::vector<PgRow>> PgConnection::query(const std::string& sql, const PgParams& params) {
  std::vector<const char*> pointers = param_pointers(params);
  ResultPtr result(PQexecParams(handle_->conn, sql.c_str(), static_cast<int>(pointers.size()),
                                nullptr, pointers.data(), nullptr, nullptr, 0));
  return handle_->rows(result, "query");
}

Status PgConnection::prepare(const std::string& name, const std::string& sql) {
  ResultPtr result(PQprepare(handle_->conn, name.c_str(), sql.c_str(), 0, nullptr));
  return handle_->check(result, "prepare " + name, PGRES_COMMAND_OK);
}

Result<std::vector<PgRow>> PgConnection::execute_prepared(const std::string& name,
                                                          const PgParams& params) {
  std::vector<const char*> pointers = param_pointers(params);
  ResultPtr result(PQexecPrepared(handle_->conn, name.c_str(), static_cast<int>(pointers.size()),
                                  pointers.data(), nullptr, nullptr, 0));
  return handle_->rows(result, name);
}

Status PgConnection::copy_in(const std::string& copy_sql,
                             const std::function<Result<bool>(std::string&)>& next_chunk) {
  PGconn* conn = handle_->conn;
  ResultPtr started(PQexec(conn, copy_sql.c_str()));
  if (Status status = handle_->check(started, "COPY", PGRES_COPY_IN); !status.is_ok()) {
    return status;
  }
  std::string chunk;
  Result<bool> more = true;
  while (more.is_ok() && *more) {
    chunk.clear();
    more = next_chunk(chunk);
    if (more.is_ok() && !chunk.empty() &&
        PQputCopyData(conn, chunk.data(), static_cast<int>(chunk.size())) != 1) {
      return unavailable("postgres: sending COPY data: " + trimmed(PQerrorMessage(conn)));
    }
  }
  // An error message ends the COPY as failed: the server keeps none of it.
  const Status failure = more.status();
  if (PQputCopyEnd(conn, failure.is_ok() ? nullptr : failure.message().c_str()) != 1) {
    return unavailable("postgres: ending COPY: " + trimmed(PQerrorMessage(conn)));
  }
  // The server answers with the COPY's outcome, then nothing more.
  Status outcome;
  while (ResultPtr result{PQgetResult(conn)}) {
    if (PQresultStatus(result.get()) == PGRES_COPY_IN) {
      return unavailable("postgres: COPY did not end: " + trimmed(PQerrorMessage(conn)));
    }
    if (outcome.is_ok()) outcome = handle_->check(result, "COPY", PGRES_COMMAND_OK);
  }
  return failure.is_ok() ? outcome : failure;
}

bool PgConnection::is_open() const { return PQstatus(handle_->conn) == CONNECTION_OK; }

}  // namespace runnel::sinks
