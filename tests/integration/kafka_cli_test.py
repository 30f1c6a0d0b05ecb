"""Integration tests for `runnel topics`, `runnel produce` and `runnel consume`.

The real binary runs as separate processes: `runnel broker` on a free
loopback port (tests/integration/broker_process.py), and the Kafka commands
against it. kcat (/usr/bin/kcat), a
third-party librdkafka client, cross-checks what runnel writes and reads.

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/kafka_cli_test.py
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import itertools
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from broker_process import BINARY, HOST, BrokerProcess

KCAT = "/usr/bin/kcat"
COMMAND_SECONDS = 60

_topic_numbers = itertools.count()


def stderr_lines(result):
    return result.stderr.decode("utf-8", "replace").strip().splitlines()


class KafkaCliTest(unittest.TestCase):
    broker = None

    @classmethod
    def setUpClass(cls):
        if not os.access(BINARY, os.X_OK):
            raise RuntimeError("runnel binary not found at %s (build it, or set RUNNEL_BINARY)"
                               % BINARY)
        cls.broker = BrokerProcess()
        cls.address = cls.broker.bootstrap

    @classmethod
    def tearDownClass(cls):
        if cls.broker is None:
            return
        output = cls.broker.output()
        running = cls.broker.alive()
        code = cls.broker.close()
        if not running:
            raise AssertionError("broker died during the tests; its output:\n" + output)
        if code != 0:
            raise AssertionError("broker exit after SIGTERM: %r (expected 0); its output:\n%s"
                                 % (code, output))

    # Helpers -------------------------------------------------------------

    def runnel(self, *args, input=b"", env=None, timeout=COMMAND_SECONDS):
        """Runs `runnel ARGS --kafka <broker>` and answers the completed process."""
        return subprocess.run([BINARY, *args, "--kafka", self.address], input=input,
                              capture_output=True, timeout=timeout, env=env)

    def runnel_ok(self, *args, input=b""):
        result = self.runnel(*args, input=input)
        self.assertEqual(result.returncode, 0,
                         "runnel %s: %s" % (" ".join(args), result.stderr.decode()))
        return result

    def kcat(self, *args, input=b""):
        result = subprocess.run([KCAT, "-b", self.address, *args], input=input,
                                capture_output=True, timeout=COMMAND_SECONDS)
        self.assertEqual(result.returncode, 0,
                         "kcat %s: %s" % (" ".join(args), result.stderr.decode()))
        return result

    def new_topic(self, partitions=1, *extra):
        name = "%s-%d" % (self._testMethodName.replace("_", "-"), next(_topic_numbers))
        self.runnel_ok("topics", "create", name, "--partitions", str(partitions), *extra)
        return name

    def produce(self, topic, lines, *extra):
        data = b"".join(line + b"\n" for line in lines)
        result = self.runnel_ok("produce", topic, *extra, input=data)
        self.assertIn(b"produced %d records" % len(lines), result.stderr)
        return result

    def consume(self, topic, *extra):
        """Lines printed by `runnel consume`, which must exit 0 by itself."""
        return self.runnel_ok("consume", topic, *extra).stdout.splitlines()

    def topic_names(self):
        return self.runnel_ok("topics", "list").stdout.decode().splitlines()

    def assert_one_line_error(self, result, code, *fragments):
        self.assertEqual(result.returncode, code, result.stderr.decode())
        last = stderr_lines(result)[-1]
        self.assertTrue(last.startswith("runnel: "), last)
        for fragment in fragments:
            self.assertIn(fragment, last)

    # 1. Topics -------------------------------------------------------------

    def test_create_list_describe_delete(self):
        topic = self.new_topic(3, "--config", "retention.ms=3600000",
                               "--config", "cleanup.policy=delete")
        self.assertIn(topic, self.topic_names())

        lines = self.runnel_ok("topics", "describe", topic).stdout.decode().splitlines()
        self.assertEqual(len(lines), 4, lines)
        summary = lines[0].split("\t")
        self.assertEqual(summary[:3], ["Topic: " + topic, "PartitionCount: 3",
                                       "ReplicationFactor: 1"])
        self.assertTrue(summary[3].startswith("Configs: "), summary)
        self.assertIn("retention.ms=3600000", summary[3].split(": ", 1)[1].split(","))
        for number, line in enumerate(lines[1:]):
            fields = line.strip().split("\t")
            self.assertEqual(fields[:2], ["Topic: " + topic, "Partition: %d" % number])
            leader = fields[2].split(": ")[1]
            self.assertGreaterEqual(int(leader), 0, line)
            self.assertEqual(fields[3], "Replicas: " + leader)
            self.assertEqual(fields[4], "Isr: " + leader)

        self.runnel_ok("topics", "delete", topic)
        deadline = time.monotonic() + 10
        while topic in self.topic_names():
            self.assertLess(time.monotonic(), deadline, "deleted topic still listed after 10 s")
            time.sleep(0.2)
        result = self.runnel("topics", "describe", topic)
        self.assert_one_line_error(result, 1, topic, "does not exist")

    def test_create_existing_topic_fails(self):
        topic = self.new_topic()
        result = self.runnel("topics", "create", topic)
        self.assert_one_line_error(result, 1, "TOPIC_ALREADY_EXISTS", topic)
        self.assertEqual(result.stdout, b"")

    def test_delete_missing_topic_fails(self):
        result = self.runnel("topics", "delete", "no-such-topic-here")
        self.assert_one_line_error(result, 1, "UNKNOWN_TOPIC_OR_PART", "no-such-topic-here")

    def test_delete_several_topics(self):
        first, second = self.new_topic(), self.new_topic(2)
        self.runnel_ok("topics", "delete", first, second)
        deadline = time.monotonic() + 10
        while {first, second} & set(self.topic_names()):
            self.assertLess(time.monotonic(), deadline, "deleted topics still listed after 10 s")
            time.sleep(0.2)

    def test_kafka_address_from_environment(self):
        topic = self.new_topic()
        env = dict(os.environ, RUNNEL_KAFKA=self.address)
        result = subprocess.run([BINARY, "topics", "list"], capture_output=True, env=env,
                                timeout=COMMAND_SECONDS)
        self.assertEqual(result.returncode, 0, result.stderr.decode())
        self.assertIn(topic, result.stdout.decode().splitlines())

    # 2. Produce and consume -----------------------------------------------

    def test_round_trip_without_group(self):
        topic = self.new_topic(3)
        lines = [b"record %d" % i for i in range(300)]
        self.produce(topic, lines)
        consumed = self.consume(topic, "--exit-at-end")
        self.assertEqual(sorted(consumed), sorted(lines))

    def test_round_trip_with_group(self):
        topic = self.new_topic(3)
        lines = [b"grouped %d" % i for i in range(120)]
        self.produce(topic, lines)
        consumed = self.consume(topic, "--group", "round-trip", "--exit-at-end")
        self.assertEqual(sorted(consumed), sorted(lines))

    def test_each_compression_round_trips_in_order(self):
        for codec in ("none", "gzip", "snappy", "lz4", "zstd"):
            with self.subTest(compression=codec):
                topic = self.new_topic()
                lines = [(b"%s %d " % (codec.encode(), i)) + b"x" * (i % 50) for i in range(200)]
                self.produce(topic, lines, "--compression", codec)
                self.assertEqual(self.consume(topic, "--exit-at-end"), lines)
                self.assertEqual(self.consume(topic, "--group", "g-" + codec, "--count", "200"),
                                 lines)

    def test_acks_one_and_zero(self):
        for acks in ("1", "0"):
            with self.subTest(acks=acks):
                topic = self.new_topic()
                lines = [b"acks %s %d" % (acks.encode(), i) for i in range(20)]
                self.produce(topic, lines, "--acks", acks)
                self.assertEqual(self.consume(topic, "--exit-at-end"), lines)

    def test_keys_round_trip(self):
        topic = self.new_topic(2)
        lines = [b"key-%d\tvalue %d\twith a tab" % (i % 5, i) for i in range(40)]
        self.produce(topic, lines, "--key-separator", "\t")
        consumed = self.consume(topic, "--print-key", "--exit-at-end")
        self.assertEqual(sorted(consumed), sorted(lines))
        # Records with the same key go to the same partition, in order.
        for key in range(5):
            prefix = b"key-%d\t" % key
            self.assertEqual([line for line in consumed if line.startswith(prefix)],
                             [line for line in lines if line.startswith(prefix)])

    def test_line_without_key_separator_fails(self):
        topic = self.new_topic()
        result = self.runnel("produce", topic, "--key-separator", "=", input=b"a=1\nno separator\n")
        self.assert_one_line_error(result, 1, "line 2")

    def test_produce_from_file_to_one_partition(self):
        topic = self.new_topic(3)
        lines = [b"to partition two %d" % i for i in range(10)]
        with tempfile.NamedTemporaryFile() as file:
            file.write(b"".join(line + b"\n" for line in lines))
            file.flush()
            self.runnel_ok("produce", topic, "--file", file.name, "--partition", "2")
        self.assertEqual(self.kcat("-C", "-t", topic, "-p", "2", "-e", "-q").stdout.splitlines(),
                         lines)
        for partition in ("0", "1"):
            self.assertEqual(self.kcat("-C", "-t", topic, "-p", partition, "-e", "-q").stdout, b"")

    # 3. When the consumer stops --------------------------------------------

    def test_count_ends_consumer(self):
        topic = self.new_topic()
        lines = [b"counted %d" % i for i in range(10)]
        self.produce(topic, lines)
        started = time.monotonic()
        self.assertEqual(self.consume(topic, "--count", "3"), lines[:3])
        self.assertLess(time.monotonic() - started, 20)

    def test_timeout_ends_idle_consumer(self):
        topic = self.new_topic()
        self.produce(topic, [b"only one"])
        started = time.monotonic()
        self.assertEqual(self.consume(topic, "--timeout", "2"), [b"only one"])
        elapsed = time.monotonic() - started
        self.assertGreaterEqual(elapsed, 2)
        self.assertLess(elapsed, 20)

    def test_exit_at_end_on_empty_topic(self):
        topic = self.new_topic(2)
        started = time.monotonic()
        self.assertEqual(self.consume(topic, "--exit-at-end"), [])
        self.assertLess(time.monotonic() - started, 20)

    def test_from_latest_skips_earlier_records(self):
        topic = self.new_topic()
        self.produce(topic, [b"old %d" % i for i in range(5)])
        with subprocess.Popen(
                [BINARY, "consume", topic, "--from", "latest", "--count", "1", "--timeout", "30",
                 "--kafka", self.address],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE) as consumer:
            try:
                # The consumer may look up the end after any of these; it
                # must print one of them, never an older record.
                deadline = time.monotonic() + 30
                number = 0
                while consumer.poll() is None and time.monotonic() < deadline:
                    self.produce(topic, [b"new %d" % number])
                    number += 1
                    time.sleep(0.5)
                stdout, stderr = consumer.communicate(timeout=COMMAND_SECONDS)
            finally:
                if consumer.poll() is None:
                    consumer.kill()
        self.assertEqual(consumer.returncode, 0, stderr.decode())
        printed = stdout.splitlines()
        self.assertEqual(len(printed), 1, printed)
        self.assertTrue(printed[0].startswith(b"new "), printed)

    # 4. Consumer groups ------------------------------------------------------

    def test_group_resumes_after_committed_offset(self):
        topic = self.new_topic()
        lines = [b"resume %d" % i for i in range(10)]
        self.produce(topic, lines)
        self.assertEqual(self.consume(topic, "--group", "resumer", "--count", "4"), lines[:4])
        self.assertEqual(self.consume(topic, "--group", "resumer", "--exit-at-end"), lines[4:])
        more = [b"resume 10", b"resume 11"]
        self.produce(topic, more)
        self.assertEqual(self.consume(topic, "--group", "resumer", "--exit-at-end"), more)
        # Another group starts from the beginning.
        self.assertEqual(self.consume(topic, "--group", "other", "--exit-at-end"), lines + more)

    def test_sigterm_stops_group_consumer_and_commits(self):
        topic = self.new_topic()
        lines = [b"signalled %d" % i for i in range(3)]
        self.produce(topic, lines)
        with subprocess.Popen(
                [BINARY, "consume", topic, "--group", "signalled", "--kafka", self.address],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE) as consumer:
            try:
                # Output is flushed whenever the consumer goes idle.
                printed = b""
                os.set_blocking(consumer.stdout.fileno(), False)
                deadline = time.monotonic() + 30
                while printed.count(b"\n") < 3 and time.monotonic() < deadline:
                    chunk = consumer.stdout.read()
                    if chunk:
                        printed += chunk
                    time.sleep(0.1)
                self.assertEqual(printed.splitlines(), lines)
                consumer.send_signal(signal.SIGTERM)
                consumer.wait(timeout=20)
                stderr = consumer.stderr.read().decode()
            finally:
                if consumer.poll() is None:
                    consumer.kill()
        self.assertEqual(consumer.returncode, 0, stderr)
        self.produce(topic, [b"after the signal"])
        self.assertEqual(self.consume(topic, "--group", "signalled", "--exit-at-end"),
                         [b"after the signal"])

    # 5. kcat agrees ------------------------------------------------------------

    def test_kcat_reads_what_runnel_produced(self):
        topic = self.new_topic(2)
        lines = [b"k%d\tv%d" % (i % 3, i) for i in range(50)]
        self.produce(topic, lines, "--key-separator", "\t", "--header", "source=runnel",
                     "--compression", "zstd")
        read = self.kcat("-C", "-t", topic, "-e", "-q", "-f", "%k\t%s\t%h\n").stdout
        self.assertEqual(sorted(read.splitlines()),
                         sorted(line + b"\tsource=runnel" for line in lines))

    def test_runnel_reads_what_kcat_produced(self):
        topic = self.new_topic(2)
        lines = [b"kk%d\tvalue from kcat %d" % (i % 4, i) for i in range(50)]
        self.kcat("-P", "-t", topic, "-K", "\t", "-z", "lz4",
                  input=b"".join(line + b"\n" for line in lines))
        self.assertEqual(sorted(self.consume(topic, "--print-key", "--exit-at-end")),
                         sorted(lines))

    # 6. Failures ---------------------------------------------------------------

    def test_produce_to_unreachable_broker_fails(self):
        # A bound socket that never listens: connections to it are refused.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as reserved:
            reserved.bind((HOST, 0))
            address = "%s:%d" % (HOST, reserved.getsockname()[1])
            started = time.monotonic()
            result = subprocess.run(
                [BINARY, "produce", "nowhere", "--kafka", address, "--timeout", "3"],
                input=b"a\nb\nc\n", capture_output=True, timeout=COMMAND_SECONDS)
            elapsed = time.monotonic() - started
        self.assert_one_line_error(result, 1, "3 of 3 records not delivered", "_MSG_TIMED_OUT",
                                   "Connection refused")
        self.assertLess(elapsed, 15)

    def test_consume_missing_topic_fails(self):
        for extra in ((), ("--group", "missing")):
            with self.subTest(extra=extra):
                result = self.runnel("consume", "no-such-topic-to-read", "--exit-at-end", *extra)
                self.assert_one_line_error(result, 1, "no-such-topic-to-read")
                self.assertEqual(result.stdout, b"")

    def test_usage_errors_exit_2(self):
        cases = [
            ("produce",),
            ("produce", "t", "--compression", "brotli"),
            ("produce", "t", "--acks", "2"),
            ("produce", "t", "--acks", "1", "--idempotent"),
            ("produce", "t", "-X", "no.such.property=1"),
            ("produce", "t", "-X", "missing-equals"),
            ("consume",),
            ("consume", "t", "--from", "middle"),
            ("consume", "t", "--count", "0"),
            ("consume", "t", "--timeout", "-1"),
            ("topics",),
            ("topics", "rename", "t"),
            ("topics", "create"),
            ("topics", "create", "t", "--partitions", "0"),
            ("topics", "create", "t", "--config", "no-value"),
            ("topics", "describe"),
        ]
        for args in cases:
            with self.subTest(args=args):
                result = self.runnel(*args)
                self.assertEqual(result.returncode, 2, result.stderr.decode())
                self.assertEqual(len(stderr_lines(result)), 1, result.stderr.decode())
                self.assertEqual(result.stdout, b"")

    def test_help_exits_zero(self):
        for args, flag in ((("topics", "--help"), b"describe"),
                           (("topics", "create", "--help"), b"--replication-factor"),
                           (("produce", "--help"), b"--key-separator"),
                           (("consume", "--help"), b"--exit-at-end")):
            with self.subTest(args=args):
                result = subprocess.run([BINARY, *args], capture_output=True,
                                        timeout=COMMAND_SECONDS)
                self.assertEqual(result.returncode, 0, result.stderr.decode())
                self.assertIn(flag, result.stdout)


if __name__ == "__main__":
    unittest.main()
