"""Integration tests for `runnel ingest`: users produced to a real
`runnel broker` (tests/integration/broker_process.py), from the embedded
generator and from a real `runnel datagen serve`, read back with
confluent-kafka (a third-party librdkafka client).

Run from tests/integration:
    /usr/bin/python3 -m unittest -v ingest_test
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import itertools
import json
import os
import re
import signal
import socket
import subprocess
import time
import unittest

from confluent_kafka import Consumer, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from broker_process import BINARY, HOST, BrokerProcess, free_port

COMMAND_SECONDS = 120
READ_SECONDS = 60
FIELDS = ["id", "first_name", "last_name", "gender", "address", "post_code", "email",
          "username", "dob", "registered_date", "phone", "picture"]
SUMMARY = re.compile(r"^produced ([\d,]+) users to (\S+) in ([\d.]+) s \(([\d,]+) users/s\), "
                     r"([\d,]+) failed$", re.MULTILINE)

_topic_numbers = itertools.count()


class DatagenServer:
    """`runnel datagen serve` on a free loopback port."""

    def __init__(self):
        self.port = free_port()
        self.url = "http://%s:%d/api/" % (HOST, self.port)
        self.process = subprocess.Popen(
            [BINARY, "datagen", "serve", "--listen", "%s:%d" % (HOST, self.port)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("runnel datagen serve exited with %s" % self.process.returncode)
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        self.process.kill()
        raise RuntimeError("runnel datagen serve did not listen within 10 s")

    def close(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def summary_of(stderr):
    """(delivered, topic, seconds, failed) from the summary line."""
    match = SUMMARY.search(stderr)
    if not match:
        raise AssertionError("no summary line in stderr:\n" + stderr)
    number = lambda text: int(text.replace(",", ""))
    return number(match.group(1)), match.group(2), float(match.group(3)), number(match.group(5))


class IngestTest(unittest.TestCase):
    broker = None
    datagen = None

    @classmethod
    def setUpClass(cls):
        if not os.access(BINARY, os.X_OK):
            raise RuntimeError("runnel binary not found at %s (build it, or set RUNNEL_BINARY)"
                               % BINARY)
        cls.broker = BrokerProcess()
        cls.datagen = DatagenServer()

    @classmethod
    def tearDownClass(cls):
        if cls.datagen is not None:
            cls.datagen.close()
        if cls.broker is None:
            return
        output = cls.broker.output()
        running = cls.broker.alive()
        code = cls.broker.close()
        if not running:
            raise AssertionError("broker died during the tests; its output:\n" + output)
        if code != 0:
            raise AssertionError("broker exit after SIGTERM: %r; its output:\n%s" % (code, output))

    # Helpers -------------------------------------------------------------

    def new_topic(self):
        return "%s-%d" % (self._testMethodName.replace("_", "-"), next(_topic_numbers))

    def ingest_args(self, *args, kafka=None):
        return [BINARY, "ingest", "--kafka", kafka or self.broker.bootstrap, *args]

    def ingest(self, *args, kafka=None, timeout=COMMAND_SECONDS):
        result = subprocess.run(self.ingest_args(*args, kafka=kafka), stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=timeout)
        result.stderr = result.stderr.decode("utf-8", "replace")
        return result

    def ingest_ok(self, *args):
        result = self.ingest(*args)
        self.assertEqual(result.returncode, 0, "runnel ingest %s:\n%s" % (" ".join(args),
                                                                          result.stderr))
        return result

    def read_topic(self, topic):
        """Every record of `topic`, as (partition, key, value) in log order."""
        consumer = Consumer({"bootstrap.servers": self.broker.bootstrap,
                             "group.id": "ingest-test-reader", "enable.auto.commit": False,
                             "enable.partition.eof": True})
        try:
            metadata = consumer.list_topics(topic, timeout=10)
            partitions = sorted(metadata.topics[topic].partitions)
            self.assertTrue(partitions, "topic %s has no partitions" % topic)
            consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
            records, at_end = [], set()
            deadline = time.monotonic() + READ_SECONDS
            while len(at_end) < len(partitions):
                self.assertLess(time.monotonic(), deadline, "reading %s timed out" % topic)
                message = consumer.poll(1.0)
                if message is None:
                    continue
                if message.error():
                    if message.error().code() == KafkaError._PARTITION_EOF:
                        at_end.add(message.partition())
                        continue
                    self.fail("reading %s: %s" % (topic, message.error()))
                at_end.discard(message.partition())
                records.append((message.partition(), message.key(), message.value()))
            return records
        finally:
            consumer.close()

    def assert_created_users(self, records):
        """Keys are the JSON ids; values decode with every field, non-empty."""
        users = []
        for _, key, value in records:
            user = json.loads(value)
            self.assertEqual(sorted(user), sorted(FIELDS), user)
            for field in FIELDS:
                self.assertIsInstance(user[field], str, field)
                self.assertTrue(user[field], "empty %s in %s" % (field, user))
            self.assertEqual(key.decode(), user["id"])
            self.assertRegex(user["id"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                         r"[0-9a-f]{12}$")
            self.assertIn(user["gender"], ("male", "female"))
            self.assertIn("@", user["email"])
            self.assertEqual(user["address"].count(", "), 3, user["address"])
            self.assertTrue(user["picture"].startswith("https://"), user["picture"])
            users.append(user)
        return users

    # Bounds --------------------------------------------------------------

    def test_users_gives_exactly_that_many_created_users(self):
        topic = self.new_topic()
        result = self.ingest_ok("--topic", topic, "--users", "3000", "--seed", "count")
        delivered, summary_topic, _, failed = summary_of(result.stderr)
        self.assertEqual((delivered, summary_topic, failed), (3000, topic, 0))
        records = self.read_topic(topic)
        self.assertEqual(len(records), 3000)
        users = self.assert_created_users(records)
        self.assertEqual(len({user["id"] for user in users}), 3000)

    def test_the_same_seed_gives_the_same_records(self):
        first, second, other = self.new_topic(), self.new_topic(), self.new_topic()
        self.ingest_ok("--topic", first, "--users", "500", "--seed", "same")
        self.ingest_ok("--topic", second, "--users", "500", "--seed", "same", "--compression",
                       "zstd")
        self.ingest_ok("--topic", other, "--users", "500", "--seed", "different")
        records = self.read_topic(first)
        self.assertEqual(records, self.read_topic(second))
        self.assertNotEqual(records, self.read_topic(other))
        # The ids are the generator's login uuids, in its order.
        generated = subprocess.run(
            [BINARY, "datagen", "--seed", "same", "--count", "500", "--format", "jsonl"],
            capture_output=True, check=True, timeout=COMMAND_SECONDS)
        uuids = [json.loads(line)["login"]["uuid"] for line in generated.stdout.splitlines()]
        self.assertEqual([key.decode() for _, key, _ in records], uuids)

    def test_nationalities_and_no_compression(self):
        topic = self.new_topic()
        self.ingest_ok("--topic", topic, "--users", "200", "--nat", "fr", "--compression", "none")
        users = self.assert_created_users(self.read_topic(topic))
        self.assertEqual(len(users), 200)
        for user in users:
            self.assertTrue(user["address"].endswith(", France"), user["address"])

    def test_keys_pick_partitions_of_a_partitioned_topic(self):
        topic = self.new_topic()
        admin = AdminClient({"bootstrap.servers": self.broker.bootstrap})
        admin.create_topics([NewTopic(topic, 3, 1)])[topic].result(30)
        self.ingest_ok("--topic", topic, "--users", "900")
        records = self.read_topic(topic)
        self.assertEqual(len(records), 900)
        self.assertEqual({partition for partition, _, _ in records}, {0, 1, 2})
        self.assert_created_users(records)

    def test_for_bounds_by_time(self):
        topic = self.new_topic()
        started = time.monotonic()
        result = self.ingest_ok("--topic", topic, "--for", "2s")
        wall = time.monotonic() - started
        delivered, _, seconds, failed = summary_of(result.stderr)
        self.assertGreaterEqual(wall, 2.0)
        self.assertLess(wall, 40)
        self.assertGreaterEqual(seconds, 1.9)
        self.assertGreater(delivered, 0)
        self.assertEqual(failed, 0)
        self.assertEqual(len(self.read_topic(topic)), delivered)

    def test_rate_holds_approximately(self):
        topic = self.new_topic()
        result = self.ingest_ok("--topic", topic, "--rate", "400", "--for", "3s")
        delivered, _, _, _ = summary_of(result.stderr)
        # 1,200 at 400 users/s for 3 s, plus a 50 ms burst.
        self.assertGreaterEqual(delivered, 800)
        self.assertLessEqual(delivered, 1300)
        self.assertEqual(len(self.read_topic(topic)), delivered)

    def test_rate_and_count_together(self):
        topic = self.new_topic()
        started = time.monotonic()
        self.ingest_ok("--topic", topic, "--rate", "200", "--users", "300")
        # 300 users at 200 users/s take at least about 1.5 s.
        self.assertGreaterEqual(time.monotonic() - started, 1.2)
        self.assertEqual(len(self.read_topic(topic)), 300)

    # The randomuser-compatible source --------------------------------------

    def test_source_url_gives_the_generators_users(self):
        fetched, generated = self.new_topic(), self.new_topic()
        self.ingest_ok("--topic", fetched, "--users", "6000", "--seed", "url",
                       "--source-url", self.datagen.url)
        self.ingest_ok("--topic", generated, "--users", "6000", "--seed", "url")
        records = self.read_topic(fetched)
        self.assertEqual(len(records), 6000)
        self.assert_created_users(records)
        # The API's page 2 is seeded by (seed, 2) while the generator goes
        # on with page 1's sequence: the first 5000 (page 1) are the same.
        self.assertEqual(records[:5000], self.read_topic(generated)[:5000])
        self.assertEqual(len({key for _, key, _ in records}), 6000)

    def test_source_url_from_the_environment(self):
        topic = self.new_topic()
        environment = dict(os.environ, RUNNEL_SOURCE_URL=self.datagen.url)
        result = subprocess.run(self.ingest_args("--topic", topic, "--users", "50"),
                                env=environment, capture_output=True, timeout=COMMAND_SECONDS)
        self.assertEqual(result.returncode, 0, result.stderr.decode())
        self.assertEqual(len(self.read_topic(topic)), 50)

    def test_failing_source_url_exits_1_with_the_reason(self):
        result = self.ingest("--topic", self.new_topic(), "--users", "10", "--source-url",
                             "http://%s:%d/no-such-api/" % (HOST, self.datagen.port))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("HTTP 404", result.stderr)
        self.assertEqual(summary_of(result.stderr)[0], 0)

    def test_unreachable_source_url_exits_1_within_bounded_time(self):
        started = time.monotonic()
        result = self.ingest("--topic", self.new_topic(), "--users", "10", "--source-url",
                             "http://%s:%d/api/" % (HOST, free_port()))
        self.assertLess(time.monotonic() - started, 60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("unreachable", result.stderr)

    # Failures, signals and usage -------------------------------------------

    def test_unreachable_broker_exits_1_within_bounded_time(self):
        started = time.monotonic()
        result = self.ingest("--users", "10", kafka="%s:%d" % (HOST, free_port()), timeout=60)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("cannot reach Kafka at", result.stderr)

    def test_sigterm_flushes_and_every_delivered_record_is_in_the_topic(self):
        topic = self.new_topic()
        process = subprocess.Popen(self.ingest_args("--topic", topic), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            # Wait until records arrive, then stop the unbounded run.
            deadline = time.monotonic() + 30
            consumer = Consumer({"bootstrap.servers": self.broker.bootstrap,
                                 "group.id": "ingest-test-probe"})
            try:
                consumer.assign([TopicPartition(topic, 0, 0)])
                while consumer.poll(0.5) is None:
                    self.assertLess(time.monotonic(), deadline, "no record arrived")
                    self.assertIsNone(process.poll(), "runnel ingest ended by itself")
            finally:
                consumer.close()
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        stderr = stderr.decode("utf-8", "replace")
        self.assertEqual(process.returncode, 0, stderr)
        delivered, _, _, failed = summary_of(stderr)
        self.assertGreater(delivered, 0)
        self.assertEqual(failed, 0)
        records = self.read_topic(topic)
        self.assertEqual(len(records), delivered)
        self.assertEqual(len({key for _, key, _ in records}), delivered)

    def test_usage_errors_exit_2(self):
        for args in (["--for", "5x"], ["--for", "-3s"], ["--compression", "gzip"],
                     ["--nat", "XX"], ["--users", "-1"], ["--rate", "-2"], ["--users", "ten"]):
            result = self.ingest(*args)
            self.assertEqual(result.returncode, 2, "%s: %s" % (args, result.stderr))
            self.assertNotRegex(result.stderr, SUMMARY)

    def test_durations_accept_suffixes(self):
        topic = self.new_topic()
        result = self.ingest_ok("--topic", topic, "--for", "0.02m", "--users", "100")
        self.assertEqual(summary_of(result.stderr)[0], 100)


if __name__ == "__main__":
    unittest.main()
