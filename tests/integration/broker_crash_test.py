"""Crash test: `runnel broker` killed with SIGKILL at random moments while
idempotent producers write with acks=all. After every restart, and at the
end, each acknowledged record must be in the log exactly once and in order.

The producer is confluent-kafka (librdkafka), which reconnects and retries
across the restarts on its own, as it would against a real Kafka.

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/broker_crash_test.py
"""

import random
import threading
import time
import unittest

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from broker_process import BrokerProcess

TOPIC = "crash"
PARTITIONS = 2
KILLS = 5
PRODUCE_SECONDS_BETWEEN_KILLS = (0.2, 0.8)
DRAIN_SECONDS = 60


def read_partition(bootstrap, partition):
    """Every value in the partition, in offset order."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "crash-check",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    consumer.assign([TopicPartition(TOPIC, partition, 0)])
    values = []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    return values
                raise AssertionError("consume failed: %s" % message.error())
            values.append(int(message.value()))
        raise AssertionError("partition %d was not read to its end in 30 s" % partition)
    finally:
        consumer.close()


class BrokerCrashTest(unittest.TestCase):
    def test_acknowledged_records_survive_kill_9_exactly_once_in_order(self):
        rng = random.Random(20261127)
        broker = BrokerProcess("--default-partitions", str(PARTITIONS))
        acknowledged = {p: [] for p in range(PARTITIONS)}
        failures = []
        lock = threading.Lock()

        def on_delivery(error, message):
            with lock:
                if error is not None:
                    failures.append(str(error))
                else:
                    acknowledged[message.partition()].append(int(message.value()))

        producer = Producer({
            "bootstrap.servers": broker.bootstrap, "acks": "all", "enable.idempotence": True,
            "linger.ms": 2, "message.timeout.ms": 120000, "reconnect.backoff.ms": 20,
            "reconnect.backoff.max.ms": 200, "retry.backoff.ms": 20,
            "topic.metadata.refresh.interval.ms": 1000})
        stop = threading.Event()

        def produce_forever():
            n = 0
            while not stop.is_set():
                try:
                    producer.produce(TOPIC, value=str(n).encode(), partition=n % PARTITIONS,
                                     on_delivery=on_delivery)
                    n += 1
                except BufferError:
                    producer.poll(0.05)
                producer.poll(0)
                if n % 200 == 0:
                    time.sleep(0.005)

        thread = threading.Thread(target=produce_forever)
        thread.start()
        try:
            for _ in range(KILLS):
                time.sleep(rng.uniform(*PRODUCE_SECONDS_BETWEEN_KILLS))
                broker.kill()
                time.sleep(rng.uniform(0.0, 0.3))
                broker.start()
            time.sleep(0.5)
        finally:
            stop.set()
            thread.join()
        remaining = producer.flush(DRAIN_SECONDS)
        self.assertEqual(remaining, 0, "messages still undelivered after %d s" % DRAIN_SECONDS)
        self.assertEqual(failures, [])

        try:
            for partition in range(PARTITIONS):
                stored = read_partition(broker.bootstrap, partition)
                acked = acknowledged[partition]
                self.assertGreater(len(acked), 100, "too few records to mean anything")
                # Exactly once: no value twice.
                self.assertEqual(len(stored), len(set(stored)), "duplicates in partition %d" % partition)
                # In order: the producer's order is the log's order.
                self.assertEqual(stored, sorted(stored), "partition %d out of order" % partition)
                # Nothing acknowledged is missing.
                missing = set(acked) - set(stored)
                self.assertEqual(missing, set(), "acknowledged but lost in partition %d" % partition)
        finally:
            self.assertEqual(broker.close(), 0)


if __name__ == "__main__":
    unittest.main()
