#include "common/kafka_client.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace runnel::kafka {
namespace {

constexpr std::size_t kErrorTextSize = 512;

using ConfPtr = std::unique_ptr<rd_kafka_conf_t, decltype(&rd_kafka_conf_destroy)>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t,
                                         decltype(&rd_kafka_topic_partition_list_destroy)>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, decltype(&rd_kafka_event_destroy)>;
using OptionsPtr =
    std::unique_ptr<rd_kafka_AdminOptions_t, decltype(&rd_kafka_AdminOptions_destroy)>;

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

int to_milliseconds(std::chrono::milliseconds timeout) {
  return static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, 1 << 30));
}

// "Local: Message timed out (_MSG_TIMED_OUT)"; `text` replaces librdkafka's
// generic description when the broker or librdkafka said more.
std::string describe(rd_kafka_resp_err_t error, const char* text = nullptr) {
  std::string description = text && *text ? text : rd_kafka_err2str(error);
  return description + " (" + rd_kafka_err2name(error) + ")";
}

StatusCode status_code(rd_kafka_resp_err_t error) {
  switch (error) {
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return StatusCode::kDeadlineExceeded;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
      return StatusCode::kUnavailable;
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return StatusCode::kNotFound;
    default:
      // Broker refusals (TOPIC_ALREADY_EXISTS, INVALID_CONFIG, ...) are not
      // invalid_argument: that code means a usage error to the CLI.
      return StatusCode::kInternal;
  }
}

Status error_status(std::string_view what, rd_kafka_resp_err_t error, const char* text = nullptr) {
  return {status_code(error), std::string(what) + ": " + describe(error, text)};
}

// librdkafka's syslog levels mapped onto spdlog's. librdkafka logs failures
// it retries by itself (a refused connection) at LOG_ERR; those are warnings
// here, since what finally fails reaches the caller as a Status.
void log_to_spdlog(const rd_kafka_t*, int level, const char* facility, const char* text) {
  spdlog::level::level_enum spdlog_level = spdlog::level::debug;
  if (level <= 2) {
    spdlog_level = spdlog::level::critical;
  } else if (level <= 4) {
    spdlog_level = spdlog::level::warn;
  } else if (level <= 6) {
    spdlog_level = spdlog::level::info;
  }
  spdlog::log(spdlog_level, "librdkafka {}: {}", facility, text);
}

Result<ConfPtr> make_config(const Properties& properties) {
  ConfPtr conf(rd_kafka_conf_new(), &rd_kafka_conf_destroy);
  rd_kafka_conf_set_log_cb(conf.get(), &log_to_spdlog);
  for (const auto& [name, value] : properties) {
    char error[kErrorTextSize];
    switch (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), error, sizeof error)) {
      case RD_KAFKA_CONF_OK:
        break;
      case RD_KAFKA_CONF_UNKNOWN:
        return invalid_argument("unknown librdkafka property '" + name + "'");
      case RD_KAFKA_CONF_INVALID:
        return invalid_argument("librdkafka property " + name + "=" + value + ": " + error);
    }
  }
  return conf;
}

// One librdkafka handle and what its callbacks report. librdkafka passes
// this object to the callbacks as their opaque pointer, so it must not move
// while the handle exists: every client keeps it behind a unique_ptr.
struct Client {
  rd_kafka_t* rk = nullptr;  // owned
  std::string last_error;    // the latest error reported through error_cb

  Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  virtual ~Client() {
    if (rk) rd_kafka_destroy(rk);
  }

  // Serves error_cb, which librdkafka calls from poll on the caller's thread.
  static void on_error(rd_kafka_t*, int error, const char* reason, void* opaque) {
    auto* client = static_cast<Client*>(opaque);
    const auto code = static_cast<rd_kafka_resp_err_t>(error);
    client->last_error = describe(code, reason);
    if (code == RD_KAFKA_RESP_ERR__FATAL) {
      spdlog::error("librdkafka: {}", client->last_error);
    } else {
      spdlog::debug("librdkafka: {}", client->last_error);
    }
  }

  // REQUIRES: rk is null. Takes ownership of `conf` on success.
  Status start(rd_kafka_type_t type, ConfPtr conf) {
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_error_cb(conf.get(), &Client::on_error);
    char error[kErrorTextSize];
    rk = rd_kafka_new(type, conf.get(), error, sizeof error);
    if (!rk) return invalid_argument(std::string("librdkafka: ") + error);
    conf.release();
    return Status::ok();
  }

  // "; last error: ..." when librdkafka reported one, to explain a timeout.
  std::string last_error_suffix() const {
    return last_error.empty() ? std::string() : "; last error: " + last_error;
  }

  Status fatal_error_status() const {
    char reason[kErrorTextSize];
    const rd_kafka_resp_err_t error = rd_kafka_fatal_error(rk, reason, sizeof reason);
    return error_status("fatal client error", error, reason);
  }

  Result<MetadataPtr> metadata(std::chrono::milliseconds timeout) {
    const rd_kafka_metadata_t* metadata = nullptr;
    const rd_kafka_resp_err_t error =
        rd_kafka_metadata(rk, 1, nullptr, &metadata, to_milliseconds(timeout));
    if (error) {
      rd_kafka_poll(rk, 0);  // serves error_cb, for the last error
      Status status = error_status("metadata request", error);
      return Status(status.code(), status.message() + last_error_suffix());
    }
    return MetadataPtr(metadata);
  }
};

const rd_kafka_metadata_topic_t* find_topic(const rd_kafka_metadata_t& metadata,
                                            const std::string& name) {
  for (int i = 0; i < metadata.topic_cnt; ++i) {
    const auto& topic = metadata.topics[i];
    if (name == topic.topic && topic.err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return &topic;
  }
  return nullptr;
}

Status topic_not_found(const std::string& name) {
  return {StatusCode::kNotFound, "topic '" + name + "' does not exist (UNKNOWN_TOPIC_OR_PART)"};
}

std::optional<std::string> copy_bytes(const void* data, std::size_t size) {
  if (!data) return std::nullopt;
  return std::string(static_cast<const char*>(data), size);
}

}  // namespace

Result<std::pair<std::string, std::string>> parse_property(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return invalid_argument("expected name=value, got '" + std::string(text) + "'");
  }
  return std::pair{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

// Producer ----------------------------------------------------------------

struct Producer::Handle : Client {
  std::int64_t delivered = 0;
  std::int64_t failed = 0;
  std::string first_failure;  // the first delivery error, described

  // librdkafka calls this from poll and flush on the caller's thread.
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* handle = static_cast<Handle*>(static_cast<Client*>(opaque));
    if (!message->err) {
      ++handle->delivered;
      return;
    }
    ++handle->failed;
    if (handle->first_failure.empty()) {
      // The report's payload is the record's value, not an error text.
      handle->first_failure = describe(message->err);
    }
  }
};

Producer::Producer(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
Producer::Producer(Producer&&) noexcept = default;
Producer& Producer::operator=(Producer&&) noexcept = default;
Producer::~Producer() = default;

Result<Producer> Producer::create(const Properties& properties) {
  auto conf = make_config(properties);
  if (!conf) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &Handle::on_delivery);
  auto handle = std::make_unique<Handle>();
  if (auto status = handle->start(RD_KAFKA_PRODUCER, std::move(*conf)); !status.is_ok()) {
    return status;
  }
  return Producer(std::move(handle));
}

Status Producer::produce(const ProducerRecord& record) {
  std::vector<rd_kafka_vu_t> fields;
  auto add = [&fields](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    fields.push_back(rd_kafka_vu_t{});
    fields.back().vtype = type;
    return fields.back();
  };
  add(RD_KAFKA_VTYPE_TOPIC).u.cstr = record.topic.c_str();
  add(RD_KAFKA_VTYPE_PARTITION).u.i32 = record.partition;
  add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  if (record.key) {
    auto& key = add(RD_KAFKA_VTYPE_KEY).u.mem;
    key.ptr = const_cast<char*>(record.key->data());
    key.size = record.key->size();
  }
  if (record.value) {
    auto& value = add(RD_KAFKA_VTYPE_VALUE).u.mem;
    value.ptr = const_cast<char*>(record.value->data());
    value.size = record.value->size();
  }
  if (record.timestamp_ms > 0) add(RD_KAFKA_VTYPE_TIMESTAMP).u.i64 = record.timestamp_ms;
  for (const Header& header : record.headers) {
    auto& field = add(RD_KAFKA_VTYPE_HEADER).u.header;
    field.name = header.key.c_str();
    field.val = header.value ? header.value->data() : nullptr;
    field.size = header.value ? static_cast<ssize_t>(header.value->size()) : 0;
  }

  rd_kafka_t* rk = handle_->rk;
  while (true) {
    rd_kafka_error_t* error = rd_kafka_produceva(rk, fields.data(), fields.size());
    if (!error) break;
    const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    const std::string text = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    if (code == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 100);  // delivery reports make room
      continue;
    }
    if (code == RD_KAFKA_RESP_ERR__FATAL) return handle_->fatal_error_status();
    return error_status("produce to " + record.topic, code, text.c_str());
  }
  rd_kafka_poll(rk, 0);
  return Status::ok();
}

Status Producer::flush(std::chrono::milliseconds timeout) {
  const rd_kafka_resp_err_t error = rd_kafka_flush(handle_->rk, to_milliseconds(timeout));
  if (rd_kafka_fatal_error(handle_->rk, nullptr, 0)) return handle_->fatal_error_status();
  if (error) {
    return {StatusCode::kDeadlineExceeded,
            std::to_string(rd_kafka_outq_len(handle_->rk)) + " records still undelivered after " +
                std::to_string(timeout.count()) + " ms" + handle_->last_error_suffix()};
  }
  if (handle_->failed > 0) {
    const std::int64_t total = handle_->failed + handle_->delivered;
    return {StatusCode::kUnavailable,
            std::to_string(handle_->failed) + " of " + std::to_string(total) +
                " records not delivered: " + handle_->first_failure + handle_->last_error_suffix()};
  }
  return Status::ok();
}

Status Producer::connect(std::chrono::milliseconds timeout) {
  auto metadata = handle_->metadata(timeout);
  return metadata.status();
}

void Producer::poll(std::chrono::milliseconds timeout) {
  rd_kafka_poll(handle_->rk, to_milliseconds(timeout));
}

std::int64_t Producer::delivered() const { return handle_->delivered; }
std::int64_t Producer::failed() const { return handle_->failed; }

// Consumer ----------------------------------------------------------------

namespace {

// Converts librdkafka's partition list; offsets as they are.
std::vector<TopicPartitionOffset> to_partition_offsets(
    const rd_kafka_topic_partition_list_t& list) {
  std::vector<TopicPartitionOffset> partitions;
  for (int i = 0; i < list.cnt; ++i) {
    const auto& element = list.elems[i];
    partitions.push_back({element.topic, element.partition, element.offset});
  }
  return partitions;
}

PartitionListPtr to_partition_list(const std::vector<TopicPartitionOffset>& partitions) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())),
                        &rd_kafka_topic_partition_list_destroy);
  for (const auto& partition : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), partition.topic.c_str(), partition.partition)
        ->offset = partition.offset;
  }
  return list;
}

}  // namespace

struct Consumer::Handle : Client {
  bool has_group = false;
  bool closed = false;
  RebalanceListener listener;
  Status rebalance_error;  // the failure of the latest rebalance; poll() returns it

  // Serves rebalance_cb, which librdkafka calls from poll on the caller's
  // thread. The listener picks start offsets; this applies them.
  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t event,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* handle = static_cast<Handle*>(static_cast<Client*>(opaque));
    const bool cooperative = std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE";
    if (event == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      auto assigned = to_partition_offsets(*partitions);
      if (handle->listener.on_assigned) handle->listener.on_assigned(assigned);
      PartitionListPtr list = to_partition_list(assigned);
      if (cooperative) {
        if (rd_kafka_error_t* error = rd_kafka_incremental_assign(rk, list.get())) {
          handle->rebalance_error =
              internal_error(std::string("incremental assign: ") + rd_kafka_error_string(error));
          rd_kafka_error_destroy(error);
        }
      } else if (auto error = rd_kafka_assign(rk, list.get())) {
        handle->rebalance_error = error_status("assign", error);
      }
      return;
    }
    if (handle->listener.on_revoked) handle->listener.on_revoked(to_partition_offsets(*partitions));
    if (cooperative) {
      if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(rk, partitions)) {
        rd_kafka_error_destroy(error);
      }
    } else {
      rd_kafka_assign(rk, nullptr);
    }
  }

  // Topics this consumer looked up, held open: librdkafka then knows their
  // partitions' leaders before any is assigned, so a new assignment fetches
  // at once; a topic first known at assignment waits 500 ms for a leader
  // lookup.
  std::vector<rd_kafka_topic_t*> known_topics;

  rd_kafka_topic_t* known_topic(const std::string& name) {
    for (rd_kafka_topic_t* topic : known_topics) {
      if (name == rd_kafka_topic_name(topic)) return topic;
    }
    rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, name.c_str(), nullptr);
    if (topic) known_topics.push_back(topic);
    return topic;
  }

  ~Handle() override {
    for (rd_kafka_topic_t* topic : known_topics) rd_kafka_topic_destroy(topic);
    if (rk && closed) {
      // consumer_close() already left the group.
      rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
      rk = nullptr;
    }
  }
};

Consumer::Consumer(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
Consumer::Consumer(Consumer&&) noexcept = default;
Consumer& Consumer::operator=(Consumer&&) noexcept = default;
Consumer::~Consumer() = default;

Result<Consumer> Consumer::create(const Properties& properties) {
  return create(properties, RebalanceListener{});
}

Result<Consumer> Consumer::create(const Properties& properties, RebalanceListener listener) {
  const auto group = properties.find("group.id");
  const bool has_group = group != properties.end() && !group->second.empty();
  Properties with_group = properties;
  if (!has_group) {
    // librdkafka's assign() needs a group.id, though it joins no group when
    // started from explicit offsets; nothing is ever committed under it.
    with_group.insert_or_assign("group.id", "runnel-unjoined");
    with_group.insert_or_assign("enable.auto.commit", "false");
  }
  auto conf = make_config(with_group);
  if (!conf) return conf.status();
  const bool listens = listener.on_assigned || listener.on_revoked;
  if (listens) rd_kafka_conf_set_rebalance_cb(conf->get(), &Handle::on_rebalance);
  auto handle = std::make_unique<Handle>();
  handle->has_group = has_group;
  handle->listener = std::move(listener);
  if (auto status = handle->start(RD_KAFKA_CONSUMER, std::move(*conf)); !status.is_ok()) {
    return status;
  }
  // One queue for records, rebalances and errors, served by poll().
  rd_kafka_poll_set_consumer(handle->rk);
  return Consumer(std::move(handle));
}

Status Consumer::subscribe(const std::vector<std::string>& topics) {
  if (!handle_->has_group) return invalid_argument("subscribing needs a consumer group (group.id)");
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())),
                        &rd_kafka_topic_partition_list_destroy);
  for (const auto& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (auto error = rd_kafka_subscribe(handle_->rk, list.get()))
    return error_status("subscribe", error);
  return Status::ok();
}

Status Consumer::assign(const std::vector<TopicPartitionOffset>& partitions) {
  PartitionListPtr list = to_partition_list(partitions);
  if (auto error = rd_kafka_assign(handle_->rk, list.get())) return error_status("assign", error);
  return Status::ok();
}

Result<std::vector<std::int32_t>> Consumer::partitions_of(const std::string& topic,
                                                          std::chrono::milliseconds timeout) {
  handle_->known_topic(topic);
  auto metadata = handle_->metadata(timeout);
  if (!metadata) return metadata.status();
  const auto* found = find_topic(**metadata, topic);
  if (!found) return topic_not_found(topic);
  if (found->err) return error_status("topic " + topic, found->err);
  std::vector<std::int32_t> partitions;
  for (int i = 0; i < found->partition_cnt; ++i) partitions.push_back(found->partitions[i].id);
  std::sort(partitions.begin(), partitions.end());
  return partitions;
}

Result<std::vector<TopicPartitionOffset>> Consumer::assignment() {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (auto error = rd_kafka_assignment(handle_->rk, &raw)) return error_status("assignment", error);
  PartitionListPtr list(raw, &rd_kafka_topic_partition_list_destroy);
  return to_partition_offsets(*list);
}

Result<std::optional<ConsumedRecord>> Consumer::poll(std::chrono::milliseconds timeout) {
  MessagePtr message(rd_kafka_consumer_poll(handle_->rk, to_milliseconds(timeout)),
                     &rd_kafka_message_destroy);
  if (!handle_->rebalance_error.is_ok()) return std::exchange(handle_->rebalance_error, Status());
  if (!message) return std::optional<ConsumedRecord>();
  ConsumedRecord record;
  record.topic = message->rkt ? rd_kafka_topic_name(message->rkt) : "";
  record.partition = message->partition;
  record.offset = message->offset;
  switch (message->err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      break;
    case RD_KAFKA_RESP_ERR__PARTITION_EOF:
      record.kind = ConsumedRecord::Kind::kPartitionEnd;
      return std::optional(std::move(record));
    case RD_KAFKA_RESP_ERR__FATAL:
      return handle_->fatal_error_status();
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
      return error_status("consume", message->err, rd_kafka_message_errstr(message.get()));
    default:
      // librdkafka retries these by itself (e.g. a broker went away).
      spdlog::warn("consume: {}", describe(message->err, rd_kafka_message_errstr(message.get())));
      return std::optional<ConsumedRecord>();
  }
  rd_kafka_timestamp_type_t timestamp_type;
  record.timestamp_ms = rd_kafka_message_timestamp(message.get(), &timestamp_type);
  record.key = copy_bytes(message->key, message->key_len);
  record.value = copy_bytes(message->payload, message->len);
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(message.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name;
    const void* value;
    std::size_t size;
    for (std::size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      record.headers.push_back({name, copy_bytes(value, size)});
    }
  }
  return std::optional(std::move(record));
}

Status Consumer::commit() {
  if (!handle_->has_group) return invalid_argument("committing needs a consumer group (group.id)");
  const rd_kafka_resp_err_t error = rd_kafka_commit(handle_->rk, nullptr, 0);
  if (error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET) {
    return Status::ok();
  }
  return error_status("commit", error);
}

Status Consumer::commit(const std::vector<TopicPartitionOffset>& offsets) {
  if (!handle_->has_group) return invalid_argument("committing needs a consumer group (group.id)");
  if (offsets.empty()) return Status::ok();
  PartitionListPtr list = to_partition_list(offsets);
  if (auto error = rd_kafka_commit(handle_->rk, list.get(), 0))
    return error_status("commit", error);
  for (int i = 0; i < list->cnt; ++i) {
    const auto& element = list->elems[i];
    if (element.err) {
      return error_status(
          "commit " + std::string(element.topic) + "/" + std::to_string(element.partition),
          element.err);
    }
  }
  return Status::ok();
}

Result<Watermarks> Consumer::query_watermarks(const std::string& topic, std::int32_t partition,
                                              std::chrono::milliseconds timeout) {
  Watermarks watermarks;
  if (auto error =
          rd_kafka_query_watermark_offsets(handle_->rk, topic.c_str(), partition, &watermarks.low,
                                           &watermarks.high, to_milliseconds(timeout))) {
    return error_status("watermarks of " + topic + "/" + std::to_string(partition), error);
  }
  return watermarks;
}

std::optional<Watermarks> Consumer::cached_watermarks(const std::string& topic,
                                                      std::int32_t partition) {
  Watermarks watermarks;
  if (rd_kafka_get_watermark_offsets(handle_->rk, topic.c_str(), partition, &watermarks.low,
                                     &watermarks.high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      watermarks.high < 0) {
    return std::nullopt;
  }
  return watermarks;
}

Status Consumer::close() {
  Status status = handle_->has_group ? commit() : Status::ok();
  const rd_kafka_resp_err_t error = rd_kafka_consumer_close(handle_->rk);
  handle_->closed = true;
  if (status.is_ok() && error) status = error_status("close", error);
  return status;
}

// Admin -------------------------------------------------------------------

struct Admin::Handle : Client {
  rd_kafka_queue_t* results = nullptr;  // owned; answers to admin requests

  ~Handle() override {
    if (results) rd_kafka_queue_destroy(results);
  }

  OptionsPtr options(rd_kafka_admin_op_t operation, std::chrono::milliseconds timeout) {
    OptionsPtr options(rd_kafka_AdminOptions_new(rk, operation), &rd_kafka_AdminOptions_destroy);
    char error[kErrorTextSize];
    rd_kafka_AdminOptions_set_request_timeout(options.get(), to_milliseconds(timeout), error,
                                              sizeof error);
    if (operation == RD_KAFKA_ADMIN_OP_CREATETOPICS ||
        operation == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
      rd_kafka_AdminOptions_set_operation_timeout(options.get(), to_milliseconds(timeout), error,
                                                  sizeof error);
    }
    return options;
  }

  // The answer to the request just sent, or the error that replaced it.
  Result<EventPtr> await_result(std::string_view what, std::chrono::milliseconds timeout) {
    // librdkafka answers by the request timeout; the margin covers queueing.
    const auto wait = timeout + std::chrono::seconds(5);
    EventPtr event(rd_kafka_queue_poll(results, to_milliseconds(wait)), &rd_kafka_event_destroy);
    rd_kafka_poll(rk, 0);  // serves error_cb, for the last error
    if (!event) {
      return Status(StatusCode::kDeadlineExceeded, std::string(what) + ": no answer within " +
                                                       std::to_string(wait.count()) + " ms" +
                                                       last_error_suffix());
    }
    if (const rd_kafka_resp_err_t error = rd_kafka_event_error(event.get())) {
      Status status = error_status(what, error, rd_kafka_event_error_string(event.get()));
      return Status(status.code(), status.message() + last_error_suffix());
    }
    return event;
  }
};

Admin::Admin(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
Admin::Admin(Admin&&) noexcept = default;
Admin& Admin::operator=(Admin&&) noexcept = default;
Admin::~Admin() = default;

Result<Admin> Admin::create(const Properties& properties) {
  auto conf = make_config(properties);
  if (!conf) return conf.status();
  auto handle = std::make_unique<Handle>();
  if (auto status = handle->start(RD_KAFKA_PRODUCER, std::move(*conf)); !status.is_ok()) {
    return status;
  }
  handle->results = rd_kafka_queue_new(handle->rk);
  return Admin(std::move(handle));
}

Status Admin::create_topic(const NewTopic& topic, std::chrono::milliseconds timeout) {
  const std::string what = "create topic '" + topic.name + "'";
  char error[kErrorTextSize];
  std::unique_ptr<rd_kafka_NewTopic_t, decltype(&rd_kafka_NewTopic_destroy)> request(
      rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions, topic.replication_factor, error,
                            sizeof error),
      &rd_kafka_NewTopic_destroy);
  if (!request) return invalid_argument(what + ": " + error);
  for (const auto& [name, value] : topic.configs) {
    if (auto code = rd_kafka_NewTopic_set_config(request.get(), name.c_str(), value.c_str())) {
      return error_status(what + ": config " + name, code);
    }
  }
  rd_kafka_NewTopic_t* requests[] = {request.get()};
  auto options = handle_->options(RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout);
  rd_kafka_CreateTopics(handle_->rk, requests, 1, options.get(), handle_->results);
  auto event = handle_->await_result(what, timeout);
  if (!event) return event.status();
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event->get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (auto code = rd_kafka_topic_result_error(results[i])) {
      return error_status(what, code, rd_kafka_topic_result_error_string(results[i]));
    }
  }
  return Status::ok();
}

Status Admin::delete_topics(const std::vector<std::string>& names,
                            std::chrono::milliseconds timeout) {
  std::vector<rd_kafka_DeleteTopic_t*> requests;
  for (const auto& name : names) requests.push_back(rd_kafka_DeleteTopic_new(name.c_str()));
  auto options = handle_->options(RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout);
  rd_kafka_DeleteTopics(handle_->rk, requests.data(), requests.size(), options.get(),
                        handle_->results);
  rd_kafka_DeleteTopic_destroy_array(requests.data(), requests.size());
  auto event = handle_->await_result("delete topics", timeout);
  if (!event) return event.status();
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event->get()), &count);
  Status first_failure;
  std::string failures;
  for (std::size_t i = 0; i < count; ++i) {
    const rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
    if (!code) continue;
    const std::string name = rd_kafka_topic_result_name(results[i]);
    Status status = error_status("delete topic '" + name + "'", code,
                                 rd_kafka_topic_result_error_string(results[i]));
    if (first_failure.is_ok()) first_failure = status;
    failures += (failures.empty() ? "" : "; ") + status.message();
  }
  if (first_failure.is_ok()) return first_failure;
  return {first_failure.code(), failures};
}

Result<std::vector<std::string>> Admin::list_topics(std::chrono::milliseconds timeout) {
  auto metadata = handle_->metadata(timeout);
  if (!metadata) return metadata.status();
  std::vector<std::string> names;
  for (int i = 0; i < (*metadata)->topic_cnt; ++i) names.emplace_back((*metadata)->topics[i].topic);
  std::sort(names.begin(), names.end());
  return names;
}

Result<TopicDescription> Admin::describe_topic(const std::string& name,
                                               std::chrono::milliseconds timeout) {
  auto metadata = handle_->metadata(timeout);
  if (!metadata) return metadata.status();
  const auto* found = find_topic(**metadata, name);
  if (!found) return topic_not_found(name);
  if (found->err) return error_status("describe topic '" + name + "'", found->err);

  TopicDescription description;
  description.name = name;
  for (int i = 0; i < found->partition_cnt; ++i) {
    const auto& partition = found->partitions[i];
    PartitionDescription& out = description.partitions.emplace_back();
    out.partition = partition.id;
    out.leader = partition.leader;
    out.replicas.assign(partition.replicas, partition.replicas + partition.replica_cnt);
    out.isr.assign(partition.isrs, partition.isrs + partition.isr_cnt);
  }
  std::sort(description.partitions.begin(), description.partitions.end(),
            [](const auto& a, const auto& b) { return a.partition < b.partition; });

  const std::string what = "describe configs of topic '" + name + "'";
  rd_kafka_ConfigResource_t* resources[] = {
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name.c_str())};
  auto options = handle_->options(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout);
  rd_kafka_DescribeConfigs(handle_->rk, resources, 1, options.get(), handle_->results);
  rd_kafka_ConfigResource_destroy_array(resources, 1);
  auto event = handle_->await_result(what, timeout);
  if (!event) return event.status();
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** results = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(event->get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    if (auto code = rd_kafka_ConfigResource_error(results[i])) {
      return error_status(what, code, rd_kafka_ConfigResource_error_string(results[i]));
    }
    std::size_t entry_count = 0;
    const rd_kafka_ConfigEntry_t** entries =
        rd_kafka_ConfigResource_configs(results[i], &entry_count);
    for (std::size_t j = 0; j < entry_count; ++j) {
      const char* value = rd_kafka_ConfigEntry_value(entries[j]);
      description.configs.push_back({
          .name = rd_kafka_ConfigEntry_name(entries[j]),
          .value = value ? std::optional<std::string>(value) : std::nullopt,
          .is_default = rd_kafka_ConfigEntry_is_default(entries[j]) != 0,
          .is_read_only = rd_kafka_ConfigEntry_is_read_only(entries[j]) != 0,
          .is_sensitive = rd_kafka_ConfigEntry_is_sensitive(entries[j]) != 0,
      });
    }
  }
  return description;
}

}  // namespace runnel::kafka
