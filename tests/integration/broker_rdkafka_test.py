"""librdkafka's C++ client against `runnel broker`.

rdkafka_client (tests/integration/rdkafka_client.cc, built by CMake; the
RDKAFKA_CLIENT variable names it) produces idempotently with lz4 and consumes
in a group; it prints one line per delivery report and per message, which
this module checks. RDKAFKA_DEBUG=protocol,cgrp shows librdkafka's side.

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/broker_rdkafka_test.py
"""

import collections
import glob
import os
import struct
import subprocess
import unittest

from broker_process import REPO, BrokerProcess

CLIENT = os.environ.get("RDKAFKA_CLIENT",
                        os.path.join(REPO, "build", "tests", "rdkafka_client"))
PARTITIONS = 4
LZ4 = 3
CLIENT_SECONDS = 30
OFFSET_INVALID = -1001  # librdkafka: no committed offset


class Consumed:
    """What one `rdkafka_client consume` printed."""

    def __init__(self, lines):
        self.assigned, self.messages, self.committed, self.count = [], [], {}, None
        for line in lines:
            word, *rest = line.split()
            if word == "assigned":
                self.assigned.append(sorted(map(int, rest)))
            elif word == "message":
                self.messages.append((int(rest[0]), int(rest[1]), int(rest[2])))
            elif word == "committed":
                self.committed[int(rest[0])] = int(rest[1])
            elif word == "consumed":
                self.count = int(rest[0])

    def values(self):
        return [value for _, _, value in self.messages]


def stored_batches(data_dir, topic, partition):
    """(attributes, producer id, base sequence, record count) of each batch in
    the partition's segment files, as the broker wrote them."""
    batches = []
    pattern = os.path.join(data_dir, "broker", "topics", topic, str(partition), "*.log")
    for path in sorted(glob.glob(pattern)):
        with open(path, "rb") as f:
            data = f.read()
        pos = 0
        while pos + 12 <= len(data):
            length = struct.unpack_from(">i", data, pos + 8)[0]
            attributes, last_delta = struct.unpack_from(">hi", data, pos + 21)
            producer_id, _epoch, base_sequence = struct.unpack_from(">qhi", data, pos + 43)
            batches.append((attributes, producer_id, base_sequence, last_delta + 1))
            pos += 12 + length
    return batches


class RdKafkaTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.access(CLIENT, os.X_OK), "no rdkafka_client at " + CLIENT)
        self.broker = None

    def tearDown(self):
        if self.broker is not None:
            self.assertEqual(self.broker.close(), 0, "broker exit code")

    def start_broker(self, *args):
        self.broker = BrokerProcess("--default-partitions", str(PARTITIONS), *args)

    def client(self, *args):
        return subprocess.Popen([CLIENT, args[0], self.broker.bootstrap, *map(str, args[1:])],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(self, process):
        try:
            stdout, stderr = process.communicate(timeout=CLIENT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            self.fail("rdkafka_client did not finish:\n%s" % stderr.decode()[-4000:])
        self.assertEqual(process.returncode, 0, "rdkafka_client failed:\n%s\nbroker:\n%s"
                         % (stderr.decode()[-4000:], self.broker.output()[-4000:]))
        return stdout.decode().splitlines()

    def produce(self, topic, count):
        lines = self.finish(self.client("produce", topic, count, PARTITIONS))
        self.assertEqual(lines[-1], "produced %d 0" % count)
        deliveries = {}
        for line in lines[:-1]:
            word, seq, partition, offset = line.split()
            self.assertEqual(word, "delivered")
            self.assertNotIn(int(seq), deliveries, "one delivery report per message")
            deliveries[int(seq)] = (int(partition), int(offset))
        self.assertEqual(len(deliveries), count)
        return deliveries

    def consume(self, topic, group, count, deadline_ms=15000, idle_ms=2000):
        return Consumed(self.finish(
            self.start_consumer(topic, group, count, deadline_ms, idle_ms)))

    def start_consumer(self, topic, group, count, deadline_ms=15000, idle_ms=2000):
        return self.client("consume", topic, group, count, deadline_ms, idle_ms)

    def assert_partition_order(self, messages):
        """Within each partition: offsets strictly increase, and so do values."""
        by_partition = collections.defaultdict(list)
        for partition, offset, value in messages:
            self.assertEqual(partition, value % PARTITIONS)
            by_partition[partition].append((offset, value))
        for partition, entries in by_partition.items():
            self.assertEqual(entries, sorted(entries), "partition %d order" % partition)
            self.assertEqual([o for o, _ in entries], sorted(set(o for o, _ in entries)))
        return by_partition

    def test_idempotent_produce_then_group_consume_gets_exactly_those_messages(self):
        self.start_broker()
        count = 20000
        deliveries = self.produce("ledger", count)
        for seq, (partition, offset) in deliveries.items():
            self.assertEqual((partition, offset), (seq % PARTITIONS, seq // PARTITIONS), seq)

        batches = stored_batches(self.broker.data_dir, "ledger", 0)
        self.assertEqual(sum(records for _, _, _, records in batches), count // PARTITIONS)
        self.assertEqual({attributes & 7 for attributes, _, _, _ in batches}, {LZ4})
        producer_ids = {producer_id for _, producer_id, _, _ in batches}
        self.assertEqual(len(producer_ids), 1)
        self.assertGreaterEqual(producer_ids.pop(), 0)
        sequence = 0
        for _, _, base_sequence, records in batches:
            self.assertEqual(base_sequence, sequence)
            sequence += records

        consumed = self.consume("ledger", "ledger-readers", count)
        self.assertEqual(consumed.count, count)
        self.assertEqual(sorted(consumed.values()), list(range(count)))
        by_partition = self.assert_partition_order(consumed.messages)
        for partition, entries in by_partition.items():
            self.assertEqual([o for o, _ in entries], list(range(count // PARTITIONS)))
        self.assertEqual(consumed.committed,
                         {p: count // PARTITIONS for p in range(PARTITIONS)})

    def test_two_consumers_in_one_group_split_the_partitions(self):
        # Both consumers join within the initial rebalance delay, so the
        # group's first generation already has two members.
        self.start_broker("--group-initial-rebalance-delay-ms", "2000")
        count = 4000
        self.produce("shared", count)
        first = self.start_consumer("shared", "splitters", count, 15000, 2000)
        second = self.start_consumer("shared", "splitters", count, 15000, 2000)
        a, b = Consumed(self.finish(first)), Consumed(self.finish(second))

        self.assertTrue(a.assigned and b.assigned, (a.assigned, b.assigned))
        self.assertEqual(sorted(a.assigned[0] + b.assigned[0]), list(range(PARTITIONS)))
        self.assertEqual(len(a.assigned[0]), PARTITIONS // 2)
        a_partitions = {p for p, _, _ in a.messages}
        b_partitions = {p for p, _, _ in b.messages}
        self.assertTrue(a_partitions and b_partitions, "both consumers received messages")
        self.assertFalse(a_partitions & b_partitions, "no partition read by both")
        self.assertEqual(sorted(a.values() + b.values()), list(range(count)))
        self.assert_partition_order(a.messages)
        self.assert_partition_order(b.messages)

    def test_committed_offsets_survive_a_broker_restart(self):
        self.start_broker()
        count, first_part = 1000, 600
        self.produce("journal", count)
        first = self.consume("journal", "journal-readers", first_part)
        self.assertEqual(first.count, first_part)
        read = collections.Counter(p for p, _, _ in first.messages)
        self.assertEqual(first.committed,
                         {p: read[p] if read[p] else OFFSET_INVALID for p in range(PARTITIONS)})

        self.broker.restart()
        second = self.consume("journal", "journal-readers", count, 15000, 2000)
        self.assertEqual(second.count, count - first_part)
        self.assertFalse(set(first.values()) & set(second.values()), "nothing read twice")
        self.assertEqual(sorted(first.values() + second.values()), list(range(count)))
        self.assertEqual(second.committed, {p: count // PARTITIONS for p in range(PARTITIONS)})


if __name__ == "__main__":
    unittest.main()
