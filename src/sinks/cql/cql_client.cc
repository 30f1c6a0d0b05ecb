#include "sinks/cql/cql_client.h"

#include <algorithm>
#include <thread>

#include "common/logging.h"

namespace runnel::sinks {
namespace {

constexpr std::uint16_t kDefaultPort = 9042;

// What to do with an answer: hand it to the caller, send the request again
// after a backoff, or prepare its statement again and resend at once.
enum class Verdict { kDone, kRetry, kReprepare };

Verdict judge(const Result<CqlResponse>& response, const CqlRequest& request, bool was_sent) {
  if (!response.is_ok()) {
    StatusCode code = response.status().code();
    bool lost = code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
    if (!lost) return Verdict::kDone;
    return (!was_sent || request.idempotent) ? Verdict::kRetry : Verdict::kDone;
  }
  const auto* error = std::get_if<store::CqlError>(&*response);
  if (error == nullptr) return Verdict::kDone;
  switch (error->code) {
    case cql::ErrorCode::kUnavailable:
    case cql::ErrorCode::kOverloaded:
    case cql::ErrorCode::kIsBootstrapping:
      return Verdict::kRetry;
    case cql::ErrorCode::kWriteTimeout:
    case cql::ErrorCode::kReadTimeout:
      return request.idempotent ? Verdict::kRetry : Verdict::kDone;
    case cql::ErrorCode::kUnprepared:
      return request.statements.empty() ? Verdict::kDone : Verdict::kReprepare;
    default:
      return Verdict::kDone;
  }
}

std::string failure_text(const Result<CqlResponse>& response) {
  if (!response.is_ok()) return response.status().message();
  if (const auto* error = std::get_if<store::CqlError>(&*response)) return describe(*error);
  return "ok";
}

}  // namespace

Result<std::vector<Endpoint>> parse_contact_points(std::string_view text) {
  std::vector<Endpoint> points;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (entry.empty()) continue;
    // "[v6]:port" and "host:port" have a port; "[v6]", "host" and a bare
    // IPv6 address ("::1", several colons) do not.
    size_t colons = std::count(entry.begin(), entry.end(), ':');
    bool has_port = entry.front() == '[' ? entry.back() != ']' : colons == 1;
    if (!has_port) {
      std::string host(entry.front() == '[' ? entry.substr(1, entry.size() - 2) : entry);
      points.push_back(Endpoint{host, kDefaultPort});
      continue;
    }
    auto endpoint = parse_endpoint(entry);
    if (!endpoint) return invalid_argument("contact point: " + endpoint.status().message());
    if (endpoint->port == 0)
      return invalid_argument("contact point '" + std::string(entry) + "' has port 0");
    points.push_back(*endpoint);
  }
  if (points.empty()) return invalid_argument("no contact points given (host:port,...)");
  return points;
}

Result<std::unique_ptr<CqlClient>> CqlClient::connect(CqlClientOptions options) {
  if (options.contact_points.empty()) return invalid_argument("cql: no contact points");
  std::unique_ptr<CqlClient> client(new CqlClient(std::move(options)));
  auto connection = client->open_connection();
  if (!connection) return connection.status();
  client->connections_.push_back(std::move(connection).value());
  return client;
}

Result<CqlResponse> CqlClient::query(std::string_view cql, const store::QueryParameters& parameters,
                                     bool idempotent) {
  return wait(send(CqlRequest{cql::Opcode::kQuery, query_body(cql, parameters), idempotent, {}}));
}

Result<std::shared_ptr<const PreparedStatement>> CqlClient::prepare(std::string_view cql) {
  auto response = wait(send(CqlRequest{cql::Opcode::kPrepare, prepare_body(cql), true, {}}));
  if (!response) return response.status();
  if (const auto* error = std::get_if<store::CqlError>(&*response)) {
    return invalid_argument("cql: cannot prepare '" + std::string(cql) + "': " + describe(*error));
  }
  auto* prepared = std::get_if<store::Prepared>(&*response);
  if (prepared == nullptr) return data_loss("cql: PREPARE answered with another kind of result");
  return std::make_shared<const PreparedStatement>(
      PreparedStatement{std::string(cql), std::move(*prepared)});
}

Result<CqlResponse> CqlClient::execute(const std::shared_ptr<const PreparedStatement>& statement,
                                       const store::QueryParameters& parameters, bool idempotent) {
  return wait(send(execute_request(statement, parameters, idempotent)));
}

CqlRequest CqlClient::execute_request(const std::shared_ptr<const PreparedStatement>& statement,
                                      const store::QueryParameters& parameters, bool idempotent) {
  // Rows come back without their column specs when PREPARE gave them, as
  // the drivers ask; receive() puts them back.
  const bool skip_metadata = !statement->prepared.result_columns.empty();
  return CqlRequest{cql::Opcode::kExecute,
                    execute_body(statement->prepared.id, parameters, skip_metadata),
                    idempotent,
                    {statement}};
}

CqlRequest CqlClient::batch_request(cql::BatchType type, const std::vector<BatchEntry>& entries,
                                    cql::Consistency consistency,
                                    std::optional<std::int64_t> default_timestamp,
                                    bool idempotent) {
  std::vector<BatchStatementRef> statements;
  std::vector<std::shared_ptr<const PreparedStatement>> prepared;
  statements.reserve(entries.size());
  for (const BatchEntry& entry : entries) {
    statements.push_back({true, entry.statement->prepared.id, &entry.values});
    if (std::find(prepared.begin(), prepared.end(), entry.statement) == prepared.end()) {
      prepared.push_back(entry.statement);
    }
  }
  return CqlRequest{cql::Opcode::kBatch,
                    batch_body(type, statements, consistency, default_timestamp), idempotent,
                    std::move(prepared)};
}

PendingRequest CqlClient::send(CqlRequest request) {
  PendingRequest pending;
  auto connection = pick_connection();
  if (!connection) {
    pending.send_failure = connection.status();
  } else {
    pending.connection = std::move(connection).value();
    pending.response = pending.connection->send(request.opcode, request.body);
  }
  pending.request = std::move(request);
  return pending;
}

Result<CqlResponse> CqlClient::wait(PendingRequest pending) {
  auto started = std::chrono::steady_clock::now();
  auto give_up_at = started + options_.give_up_after;
  std::chrono::milliseconds backoff = options_.first_backoff;
  for (;;) {
    bool was_sent = pending.connection != nullptr;
    Result<CqlResponse> response = receive(pending);
    Verdict verdict = judge(response, pending.request, was_sent);
    if (verdict == Verdict::kDone) {
      if (response) {
        if (auto* set = std::get_if<store::SetKeyspace>(&*response)) keyspace_ = set->keyspace;
      }
      return response;
    }
    if (verdict == Verdict::kReprepare) {
      const std::string& id = std::get<store::CqlError>(*response).unprepared_id;
      bool prepared = false;
      for (const auto& statement : pending.request.statements) {
        if (statement->prepared.id != id) continue;
        if (Status status = prepare_on(*pending.connection, *statement); !status.is_ok()) {
          return status;
        }
        prepared = true;
      }
      // An id this request did not send: preparing again cannot help.
      if (!prepared) return response;
      if (std::chrono::steady_clock::now() < give_up_at && pending.connection->is_open()) {
        pending.response = pending.connection->send(pending.request.opcode, pending.request.body);
        continue;
      }
    }
    auto remaining = give_up_at - std::chrono::steady_clock::now();
    if (remaining <= backoff) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      if (!response) {
        return Status(response.status().code(), response.status().message() + " (gave up after " +
                                                    std::to_string(waited.count()) +
                                                    " ms of retries)");
      }
      return response;
    }
    spdlog::warn("cql: {}; retrying in {} ms", failure_text(response), backoff.count());
    if (options_.stop->wait_for(backoff)) {
      return unavailable("cql: " + failure_text(response) + "; stopped before retrying");
    }
    backoff = std::min(backoff * 2, options_.max_backoff);
    pending = send(std::move(pending.request));
  }
}

void CqlClient::request_stop() { options_.stop->request(); }

Result<CqlResponse> CqlClient::receive(PendingRequest& pending) {
  if (pending.connection == nullptr) return pending.send_failure;
  auto frame = pending.response.get();
  if (!frame) return frame.status();
  auto response = decode_response(frame->opcode, frame->body);
  if (response && pending.request.opcode == cql::Opcode::kExecute) {
    auto* rows = std::get_if<store::Rows>(&*response);
    if (rows != nullptr && rows->columns.empty() && pending.request.statements.size() == 1) {
      rows->columns = pending.request.statements.front()->prepared.result_columns;
    }
  }
  return response;
}

Result<std::shared_ptr<CqlConnection>> CqlClient::pick_connection() {
  std::erase_if(connections_, [](const auto& connection) { return !connection->is_open(); });
  size_t wanted = static_cast<size_t>(std::max(1, options_.connections_per_node)) *
                  options_.contact_points.size();
  auto now = std::chrono::steady_clock::now();
  if (connections_.empty() || (connections_.size() < wanted && now >= next_open_attempt_)) {
    auto opened = open_connection();
    if (opened) {
      connections_.push_back(std::move(opened).value());
    } else if (connections_.empty()) {
      return opened.status();
    } else {
      // The connections there are serve meanwhile; a node that does not
      // answer is not waited for on every request.
      next_open_attempt_ = now + options_.max_backoff;
    }
  }
  return *std::min_element(
      connections_.begin(), connections_.end(),
      [](const auto& a, const auto& b) { return a->in_flight() < b->in_flight(); });
}

Result<std::shared_ptr<CqlConnection>> CqlClient::open_connection() {
  std::string failures;
  const size_t nodes = options_.contact_points.size();
  for (size_t attempt = 0; attempt < nodes; ++attempt) {
    const Endpoint& endpoint = options_.contact_points[(next_node_ + attempt) % nodes];
    auto opened = CqlConnection::open(endpoint, options_.connection);
    if (!opened) {
      if (opened.status().code() == StatusCode::kInvalidArgument) return opened.status();
      failures += (failures.empty() ? "" : "; ") + opened.status().message();
      continue;
    }
    next_node_ = (next_node_ + attempt + 1) % nodes;
    std::shared_ptr<CqlConnection> connection = std::move(opened).value();
    if (!keyspace_.empty()) {
      store::QueryParameters parameters;
      auto frame =
          connection->send(cql::Opcode::kQuery, query_body("USE \"" + keyspace_ + "\"", parameters))
              .get();
      if (!frame) return frame.status();
      auto used = decode_response(frame->opcode, frame->body);
      if (!used) return used.status();
      if (const auto* error = std::get_if<store::CqlError>(&*used)) {
        return unavailable("cql: USE " + keyspace_ + " on a new connection: " + describe(*error));
      }
    }
    return connection;
  }
  return unavailable(nodes == 1 ? failures : "cql: no contact point reachable: " + failures);
}

Status CqlClient::prepare_on(CqlConnection& connection, const PreparedStatement& statement) {
  auto frame = connection.send(cql::Opcode::kPrepare, prepare_body(statement.cql)).get();
  if (!frame) return frame.status();
  auto response = decode_response(frame->opcode, frame->body);
  if (!response) return response.status();
  if (const auto* error = std::get_if<store::CqlError>(&*response)) {
    return invalid_argument("cql: cannot prepare '" + statement.cql +
                            "' again: " + describe(*error));
  }
  const auto* prepared = std::get_if<store::Prepared>(&*response);
  if (prepared == nullptr || prepared->id != statement.prepared.id) {
    return internal_error("cql: " + connection.endpoint().to_string() + " prepared '" +
                          statement.cql + "' under a new id");
  }
  return Status::ok();
}

}  // namespace runnel::sinks
