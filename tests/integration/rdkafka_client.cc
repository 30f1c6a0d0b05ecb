// rdkafka_client: librdkafka's C++ client driven from
// tests/integration/broker_rdkafka_test.py against `runnel broker`.
//
//   rdkafka_client produce BOOTSTRAP TOPIC COUNT PARTITIONS
//     Idempotent (acks=all, lz4) produce of COUNT messages; message i has key
//     "key-i", value "i:" plus filler that compresses well, and goes to
//     partition i % PARTITIONS. Prints
//     "delivered SEQ PARTITION OFFSET" per delivery report, "failed SEQ ERROR"
//     per failed one, then "produced DELIVERED FAILED".
//   rdkafka_client consume BOOTSTRAP TOPIC GROUP COUNT DEADLINE_MS IDLE_MS
//     Subscribes in GROUP and reads until COUNT messages, DEADLINE_MS in all,
//     or IDLE_MS without a message once one arrived; commits what it read
//     (also when partitions are revoked). Prints "assigned P...",
//     "revoked P...", "message PARTITION OFFSET SEQ" per message,
//     "committed PARTITION OFFSET" per assigned partition, then
//     "consumed COUNT".
//
// RDKAFKA_DEBUG sets librdkafka's `debug` property (e.g. protocol,cgrp); its
// logs go to stderr. Exit code 0 means the client itself saw no error.
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Properties = std::vector<std::pair<std::string, std::string>>;

std::unique_ptr<RdKafka::Conf> configuration(const Properties& properties) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [name, value] : properties) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) {
      std::fprintf(stderr, "config %s=%s: %s\n", name.c_str(), value.c_str(), error.c_str());
      std::exit(2);
    }
  }
  if (const char* debug = std::getenv("RDKAFKA_DEBUG"); debug != nullptr && *debug != '\0') {
    conf->set("debug", debug, error);
  }
  return conf;
}

// Records every delivery report; the sequence number travels as the
// message's opaque pointer value.
class DeliveryReports : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto seq = reinterpret_cast<intptr_t>(message.msg_opaque());
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      ++delivered;
      std::printf("delivered %ld %d %lld\n", static_cast<long>(seq), message.partition(),
                  static_cast<long long>(message.offset()));
    } else {
      ++failed;
      std::printf("failed %ld %s\n", static_cast<long>(seq), message.errstr().c_str());
    }
  }

  long delivered = 0;
  long failed = 0;
};

// Errors librdkafka reports outside a delivery report or a consume call.
class ClientErrors : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    if (event.type() == RdKafka::Event::EVENT_ERROR) {
      std::fprintf(stderr, "error event: %s: %s\n", RdKafka::err2str(event.err()).c_str(),
                   event.str().c_str());
      if (event.fatal()) fatal = true;
    } else if (event.type() == RdKafka::Event::EVENT_LOG) {
      std::fprintf(stderr, "%s %s\n", event.fac().c_str(), event.str().c_str());
    }
  }

  bool fatal = false;
};

int produce(const std::string& bootstrap, const std::string& topic_name, long count,
            int partitions) {
  DeliveryReports reports;
  ClientErrors errors;
  auto conf = configuration({{"bootstrap.servers", bootstrap},
                             {"enable.idempotence", "true"},
                             {"acks", "all"},
                             {"compression.codec", "lz4"},
                             {"linger.ms", "5"},
                             {"message.timeout.ms", "20000"}});
  std::string error;
  conf->set("dr_cb", &reports, error);
  conf->set("event_cb", &errors, error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) {
    std::fprintf(stderr, "producer: %s\n", error.c_str());
    return 2;
  }
  for (long seq = 0; seq < count; ++seq) {
    std::string key = "key-" + std::to_string(seq);
    std::string value = std::to_string(seq) + ":" + std::string(64, 'r');
    while (true) {
      RdKafka::ErrorCode queued = producer->produce(
          topic_name, static_cast<int32_t>(seq % partitions), RdKafka::Producer::RK_MSG_COPY,
          value.data(), value.size(), key.data(), key.size(), 0, nullptr,
          reinterpret_cast<void*>(static_cast<intptr_t>(seq)));
      if (queued == RdKafka::ERR_NO_ERROR) break;
      if (queued != RdKafka::ERR__QUEUE_FULL) {
        std::fprintf(stderr, "produce %ld: %s\n", seq, RdKafka::err2str(queued).c_str());
        return 2;
      }
      producer->poll(50);
    }
    producer->poll(0);
  }
  RdKafka::ErrorCode flushed = producer->flush(25000);
  std::printf("produced %ld %ld\n", reports.delivered, reports.failed);
  if (flushed != RdKafka::ERR_NO_ERROR) {
    std::fprintf(stderr, "flush: %s\n", RdKafka::err2str(flushed).c_str());
    return 2;
  }
  return errors.fatal || reports.failed != 0 ? 1 : 0;
}

// What one consumer read and has not committed yet: per partition, the next
// offset to read, as Kafka commits offsets.
class ConsumedOffsets {
 public:
  void record(int32_t partition, int64_t offset) { pending_[partition] = offset + 1; }

  // Commits the pending offsets of `partitions` (all if empty) synchronously.
  bool commit(RdKafka::KafkaConsumer& consumer, const std::string& topic,
              const std::vector<RdKafka::TopicPartition*>& partitions) {
    std::vector<RdKafka::TopicPartition*> offsets;
    for (auto it = pending_.begin(); it != pending_.end();) {
      bool wanted = partitions.empty();
      for (const RdKafka::TopicPartition* p : partitions) wanted |= p->partition() == it->first;
      if (!wanted) {
        ++it;
        continue;
      }
      offsets.push_back(RdKafka::TopicPartition::create(topic, it->first, it->second));
      it = pending_.erase(it);
    }
    if (offsets.empty()) return true;
    RdKafka::ErrorCode committed = consumer.commitSync(offsets);
    RdKafka::TopicPartition::destroy(offsets);
    if (committed != RdKafka::ERR_NO_ERROR) {
      std::fprintf(stderr, "commit: %s\n", RdKafka::err2str(committed).c_str());
      return false;
    }
    return true;
  }

 private:
  std::map<int32_t, int64_t> pending_;
};

// The "SEQ" of a "SEQ:filler" value; a value of another shape is printed
// whole, quoted, so the test sees it.
std::string sequence_number(const RdKafka::Message& message) {
  std::string value(static_cast<const char*>(message.payload()), message.len());
  std::string::size_type colon = value.find(':');
  if (colon == std::string::npos || value.substr(colon + 1) != std::string(64, 'r')) {
    return "'" + value + "'";
  }
  return value.substr(0, colon);
}

void print_partitions(const char* what, const std::vector<RdKafka::TopicPartition*>& partitions) {
  std::printf("%s", what);
  for (const RdKafka::TopicPartition* p : partitions) std::printf(" %d", p->partition());
  std::printf("\n");
}

// Eager rebalancing: commits what was read from revoked partitions before
// giving them up, so the next owner starts where this one stopped.
class Rebalance : public RdKafka::RebalanceCb {
 public:
  Rebalance(std::string topic, ConsumedOffsets& consumed)
      : topic_(std::move(topic)), consumed_(consumed) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode event,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (event == RdKafka::ERR__ASSIGN_PARTITIONS) {
      print_partitions("assigned", partitions);
      consumer->assign(partitions);
    } else {
      print_partitions("revoked", partitions);
      if (!consumed_.commit(*consumer, topic_, partitions)) failed = true;
      consumer->unassign();
    }
  }

  bool failed = false;

 private:
  std::string topic_;
  ConsumedOffsets& consumed_;
};

int consume(const std::string& bootstrap, const std::string& topic, const std::string& group,
            long count, long deadline_ms, long idle_ms) {
  ClientErrors errors;
  ConsumedOffsets consumed;
  Rebalance rebalance(topic, consumed);
  auto conf = configuration({{"bootstrap.servers", bootstrap},
                             {"group.id", group},
                             {"auto.offset.reset", "earliest"},
                             {"enable.auto.commit", "false"},
                             {"session.timeout.ms", "10000"},
                             {"heartbeat.interval.ms", "500"}});
  std::string error;
  conf->set("event_cb", &errors, error);
  conf->set("rebalance_cb", &rebalance, error);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) {
    std::fprintf(stderr, "consumer: %s\n", error.c_str());
    return 2;
  }
  if (RdKafka::ErrorCode subscribed = consumer->subscribe({topic});
      subscribed != RdKafka::ERR_NO_ERROR) {
    std::fprintf(stderr, "subscribe: %s\n", RdKafka::err2str(subscribed).c_str());
    return 2;
  }
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(deadline_ms);
  Clock::time_point last_message{};
  long received = 0;
  int status = 0;
  while (received < count && Clock::now() < deadline) {
    if (received > 0 && Clock::now() - last_message > std::chrono::milliseconds(idle_ms)) break;
    std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR:
        ++received;
        last_message = Clock::now();
        consumed.record(message->partition(), message->offset());
        std::printf("message %d %lld %s\n", message->partition(),
                    static_cast<long long>(message->offset()),
                    sequence_number(*message).c_str());
        break;
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        break;
      default:
        std::fprintf(stderr, "consume: %s\n", message->errstr().c_str());
        status = 1;
        break;
    }
  }
  if (!consumed.commit(*consumer, topic, {})) status = 1;
  std::vector<RdKafka::TopicPartition*> assignment;
  consumer->assignment(assignment);
  if (!assignment.empty()) {
    if (RdKafka::ErrorCode fetched = consumer->committed(assignment, 5000);
        fetched != RdKafka::ERR_NO_ERROR) {
      std::fprintf(stderr, "committed: %s\n", RdKafka::err2str(fetched).c_str());
      status = 1;
    }
    for (const RdKafka::TopicPartition* p : assignment) {
      std::printf("committed %d %lld\n", p->partition(), static_cast<long long>(p->offset()));
    }
  }
  RdKafka::TopicPartition::destroy(assignment);
  std::printf("consumed %ld\n", received);
  consumer->close();
  if (errors.fatal || rebalance.failed) status = 1;
  return status;
}

int usage() {
  std::fprintf(stderr,
               "usage: rdkafka_client produce BOOTSTRAP TOPIC COUNT PARTITIONS\n"
               "       rdkafka_client consume BOOTSTRAP TOPIC GROUP COUNT DEADLINE_MS IDLE_MS\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::vector<std::string> args(argv + 1, argv + argc);
  int status = 0;
  if (args.size() == 5 && args[0] == "produce") {
    status = produce(args[1], args[2], std::stol(args[3]), std::stoi(args[4]));
  } else if (args.size() == 7 && args[0] == "consume") {
    status = consume(args[1], args[2], args[3], std::stol(args[4]), std::stol(args[5]),
                     std::stol(args[6]));
  } else {
    return usage();
  }
  RdKafka::wait_destroyed(5000);
  return status;
}
