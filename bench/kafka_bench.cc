// A Kafka producer and consumer benchmark on librdkafka, for any broker:
// runnel's own or a real Kafka cluster.
//
//   kafka_bench produce BOOTSTRAP TOPIC COUNT SIZE [MB_PER_SECOND]
//     COUNT records of SIZE bytes, acks=all, idempotent, round-robin over the
//     topic's partitions; as fast as possible, or paced to MB_PER_SECOND.
//     Prints MB/s and the produce latency (enqueue to delivery report) p50,
//     p99 and max. One warm-up record first (not counted) creates the topic.
//   kafka_bench consume BOOTSTRAP TOPIC COUNT
//     Reads COUNT records from the beginning of every partition, no group.
//     Prints MB/s, timed from the first record received.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "kafka_bench: %s\n", message.c_str());
  std::exit(1);
}

void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
    die(std::string(name) + ": " + error);
  }
}

struct Delivery {
  std::vector<Clock::time_point> enqueued;
  std::vector<double> latency_ms;
  long failed = 0;
  std::string first_error;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* delivery = static_cast<Delivery*>(opaque);
  if (message->err) {
    if (delivery->failed++ == 0) delivery->first_error = rd_kafka_err2str(message->err);
    return;
  }
  auto index = reinterpret_cast<size_t>(message->_private);
  std::chrono::duration<double, std::milli> latency = Clock::now() - delivery->enqueued[index];
  delivery->latency_ms.push_back(latency.count());
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t index = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

int produce(const std::string& bootstrap, const std::string& topic, long count, long size,
            double mb_per_second) {
  Delivery delivery;
  delivery.enqueued.resize(static_cast<size_t>(count));
  delivery.latency_ms.reserve(static_cast<size_t>(count));
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "acks", "all");
  set(conf, "enable.idempotence", "true");
  set(conf, "linger.ms", "2");
  set(conf, "batch.size", "1000000");
  set(conf, "queue.buffering.max.kbytes", "1048576");
  set(conf, "queue.buffering.max.messages", "1000000");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, &delivery);
  char error[512];
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (!producer) die(error);

  std::string payload(static_cast<size_t>(size), 'r');
  // Warm-up, not measured: the first record waits for metadata, the producer
  // id and (on a new topic) its creation.
  delivery.enqueued.emplace_back();
  if (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                        RD_KAFKA_V_VALUE(payload.data(), payload.size()),
                        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<size_t>(count))),
                        RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      rd_kafka_flush(producer, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    die("warm-up record not delivered");
  }
  delivery.latency_ms.clear();
  auto started = Clock::now();
  double bytes_per_second = mb_per_second * 1e6;
  for (long i = 0; i < count; ++i) {
    if (bytes_per_second > 0) {
      auto due =
          started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                        static_cast<double>(i) * static_cast<double>(size) / bytes_per_second));
      if (due > Clock::now()) std::this_thread::sleep_until(due);
    }
    delivery.enqueued[static_cast<size_t>(i)] = Clock::now();
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          producer, RD_KAFKA_V_TOPIC(topic.c_str()),
          RD_KAFKA_V_VALUE(payload.data(), payload.size()),
          RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<size_t>(i))), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) die(rd_kafka_err2str(err));
      rd_kafka_poll(producer, 10);
    }
    rd_kafka_poll(producer, 0);
  }
  if (rd_kafka_flush(producer, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR) die("flush timed out");
  std::chrono::duration<double> elapsed = Clock::now() - started;
  rd_kafka_destroy(producer);
  if (delivery.failed) {
    die(std::to_string(delivery.failed) + " deliveries failed: " + delivery.first_error);
  }
  std::sort(delivery.latency_ms.begin(), delivery.latency_ms.end());
  double mb = static_cast<double>(count) * static_cast<double>(size) / 1e6;
  std::printf(
      "produce %ld x %ld B: %.1f MB/s, %.0f records/s; latency p50 %.2f ms, p99 %.2f ms, "
      "max %.2f ms\n",
      count, size, mb / elapsed.count(), static_cast<double>(count) / elapsed.count(),
      percentile(delivery.latency_ms, 0.50), percentile(delivery.latency_ms, 0.99),
      delivery.latency_ms.empty() ? 0 : delivery.latency_ms.back());
  return 0;
}

int consume(const std::string& bootstrap, const std::string& topic, long count) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "group.id", "kafka-bench");  // required by librdkafka, not used: no subscribe
  set(conf, "enable.auto.commit", "false");
  set(conf, "fetch.max.bytes", "52428800");
  set(conf, "max.partition.fetch.bytes", "10485760");
  set(conf, "queued.max.messages.kbytes", "262144");
  char error[512];
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (!consumer) die(error);
  rd_kafka_poll_set_consumer(consumer);

  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_topic_t* handle = rd_kafka_topic_new(consumer, topic.c_str(), nullptr);
  if (rd_kafka_metadata(consumer, 0, handle, &metadata, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      metadata->topic_cnt != 1) {
    die("no metadata for " + topic);
  }
  rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(16);
  for (int p = 0; p < metadata->topics[0].partition_cnt; ++p) {
    rd_kafka_topic_partition_list_add(partitions, topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(handle);
  if (rd_kafka_assign(consumer, partitions) != RD_KAFKA_RESP_ERR_NO_ERROR) die("assign failed");
  rd_kafka_topic_partition_list_destroy(partitions);

  // The clock starts at the first record: the consumer's own start-up
  // (metadata, offset lookups) is not the broker's serving rate.
  long received = 0;
  double bytes = 0;
  Clock::time_point started;
  auto deadline = Clock::now() + std::chrono::minutes(5);
  while (received < count) {
    if (Clock::now() > deadline) die("consumed only " + std::to_string(received) + " records");
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 1000);
    if (!message) continue;
    if (!message->err) {
      if (received == 0) started = Clock::now();
      ++received;
      bytes += static_cast<double>(message->len);
    } else if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      die(rd_kafka_message_errstr(message));
    }
    rd_kafka_message_destroy(message);
  }
  std::chrono::duration<double> elapsed = Clock::now() - started;
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  std::printf("consume %ld records: %.1f MB/s, %.0f records/s\n", received,
              bytes / 1e6 / elapsed.count(), static_cast<double>(received) / elapsed.count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 5 && args[0] == "produce") {
    return produce(args[1], args[2], std::stol(args[3]), std::stol(args[4]),
                   args.size() > 5 ? std::stod(args[5]) : 0);
  }
  if (args.size() == 4 && args[0] == "consume")
    return consume(args[1], args[2], std::stol(args[3]));
  std::fprintf(stderr,
               "usage: kafka_bench produce BOOTSTRAP TOPIC COUNT SIZE [MB_PER_SECOND]\n"
               "       kafka_bench consume BOOTSTRAP TOPIC COUNT\n");
  return 2;
}
