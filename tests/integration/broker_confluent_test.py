"""confluent-kafka (librdkafka) against `runnel broker`, unchanged.

An idempotent producer, the AdminClient's topic lifecycle and group listing,
two consumers of one group splitting a topic and rebalancing when one leaves,
and committed offsets surviving a broker restart.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v broker_confluent_test
"""

import struct
import time
import unittest

from confluent_kafka import (OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer,
                             TopicPartition)
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic

from broker_kcat_test import codec_of, first_batch
from broker_process import BrokerProcess

PARTITIONS = 4
WAIT_SECONDS = 20
CONSUMER_SETTINGS = {"session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
                     "auto.offset.reset": "earliest", "enable.auto.commit": False,
                     "enable.partition.eof": False}


class Deadline:
    def __init__(self, seconds=WAIT_SECONDS):
        self.end = time.monotonic() + seconds

    def __bool__(self):
        return time.monotonic() < self.end


class BrokerConfluentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = BrokerProcess("--default-partitions", str(PARTITIONS))

    @classmethod
    def tearDownClass(cls):
        assert cls.broker.close() == 0

    def admin(self, broker=None):
        return AdminClient({"bootstrap.servers": (broker or self.broker).bootstrap})

    def consumer(self, group, broker=None):
        consumer = Consumer({"bootstrap.servers": (broker or self.broker).bootstrap,
                             "group.id": group, **CONSUMER_SETTINGS})
        self.addCleanup(close_quietly, consumer)
        return consumer

    def produce(self, topic, messages, broker=None, **config):
        """Sends (partition, value) pairs; returns the delivery reports as
        (error, partition, offset, value)."""
        producer = Producer({"bootstrap.servers": (broker or self.broker).bootstrap,
                             "acks": "all", **config})
        reports = []

        def delivered(error, message):
            reports.append((error, message.partition(), message.offset(), message.value()))

        for partition, value in messages:
            producer.produce(topic, value=value, partition=partition, on_delivery=delivered)
        self.assertEqual(producer.flush(WAIT_SECONDS), 0)
        return reports

    def test_idempotent_producer_delivers_everything_once(self):
        topic = "cf-idempotent"
        messages = [(i % PARTITIONS, b"idem-%03d-%s" % (i, b"xyz" * 50)) for i in range(200)]
        reports = self.produce(topic, messages, **{"enable.idempotence": True,
                                                   "compression.type": "lz4",
                                                   "linger.ms": 5, "batch.num.messages": 16})
        self.assertEqual([r[0] for r in reports], [None] * len(messages))
        self.assertEqual(sorted((r[1], r[2]) for r in reports),
                         sorted((p, o) for p in range(PARTITIONS) for o in range(50)))
        # The batches carry a producer id and sequences from 0: idempotence is
        # on; and they are compressed (lz4).
        for p in range(PARTITIONS):
            batch = first_batch(self.broker.port, topic, p)
            self.assertEqual(codec_of(batch), 3)
            producer_id, _epoch, base_sequence = struct.unpack_from(">qhi", batch, 43)
            self.assertGreaterEqual(producer_id, 0)
            self.assertEqual(base_sequence, 0)
        # Per partition, offsets follow the order of produce() calls.
        for p in range(PARTITIONS):
            in_offset_order = sorted((offset, value) for _, q, offset, value in reports if q == p)
            self.assertEqual([value for _, value in in_offset_order],
                             [value for q, value in messages if q == p])

        consumer = self.consumer("cf-idempotent-reader")
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(PARTITIONS)])
        read = []
        deadline = Deadline()
        while len(read) < len(messages) and deadline:
            message = consumer.poll(0.2)
            if message is not None:
                self.assertIsNone(message.error())
                read.append((message.partition(), message.value()))
        self.assertEqual(sorted(read), sorted(messages))

    def test_admin_topic_lifecycle(self):
        admin = self.admin()
        topic = "cf-admin"
        futures = admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1,
                                                config={"retention.ms": "3600000"})])
        self.assertIsNone(futures[topic].result(WAIT_SECONDS))
        metadata = admin.list_topics(timeout=WAIT_SECONDS)
        self.assertEqual(sorted(metadata.topics[topic].partitions), [0, 1, 2])
        self.assertEqual(list(metadata.brokers), [0])
        self.assertEqual(metadata.brokers[0].port, self.broker.port)

        resource = ConfigResource("topic", topic)
        configs = admin.describe_configs([resource])[resource].result(WAIT_SECONDS)
        self.assertEqual(configs["retention.ms"].value, "3600000")
        self.assertFalse(configs["retention.ms"].is_default)
        self.assertEqual(configs["cleanup.policy"].value, "delete")

        again = admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        with self.assertRaises(KafkaException) as raised:
            again[topic].result(WAIT_SECONDS)
        self.assertEqual(raised.exception.args[0].code(), KafkaError.TOPIC_ALREADY_EXISTS)

        self.assertIsNone(admin.delete_topics([topic])[topic].result(WAIT_SECONDS))
        self.assertNotIn(topic, admin.list_topics(timeout=WAIT_SECONDS).topics)

    def test_group_splits_partitions_and_rebalances_when_one_leaves(self):
        topic, group = "cf-split", "cf-split-group"
        admin = self.admin()  # referenced until its futures are done
        admin.create_topics([NewTopic(topic, PARTITIONS, 1)])[topic].result(WAIT_SECONDS)
        first, second = self.consumer(group), self.consumer(group)
        first.subscribe([topic])
        second.subscribe([topic])
        deadline = Deadline()
        while deadline and not (len(first.assignment()) == 2 and len(second.assignment()) == 2):
            for consumer in (first, second):
                self.assertIsNone(consumer.poll(0.1))
        self.assertEqual(len(first.assignment()), 2, "the group did not split the partitions")
        self.assertEqual(len(second.assignment()), 2)
        owned = {name: {tp.partition for tp in c.assignment()}
                 for name, c in (("first", first), ("second", second))}
        self.assertEqual(owned["first"] | owned["second"], set(range(PARTITIONS)))

        [described] = admin.list_groups(group, timeout=WAIT_SECONDS)
        self.assertEqual((described.id, described.state, described.protocol_type),
                         (group, "Stable", "consumer"))
        self.assertEqual(len(described.members), 2)
        all_groups = admin.list_groups(timeout=WAIT_SECONDS)
        self.assertIn(group, [g.id for g in all_groups])

        messages = [(p, b"p%d-%d" % (p, i)) for p in range(PARTITIONS) for i in range(10)]
        self.produce(topic, messages)
        read = {"first": [], "second": []}
        deadline = Deadline()
        while deadline and sum(map(len, read.values())) < len(messages):
            for name, consumer in (("first", first), ("second", second)):
                message = consumer.poll(0.1)
                if message is not None:
                    self.assertIsNone(message.error())
                    read[name].append((message.partition(), message.offset(), message.value()))
        for name, consumer in (("first", first), ("second", second)):
            self.assertEqual({r[0] for r in read[name]}, owned[name])
            consumer.commit(asynchronous=False)
        self.assertEqual(sorted((r[0], r[2]) for r in read["first"] + read["second"]),
                         sorted(messages))

        # New records: the first consumer reads and commits all of its own; the
        # second reads all of its own but commits only up to offset 12, then leaves.
        more = [(p, b"p%d-%d" % (p, i)) for p in range(PARTITIONS) for i in range(10, 15)]
        self.produce(topic, more)
        for name, consumer in (("first", first), ("second", second)):
            taken = self.poll_records(consumer, 5 * len(owned[name]))
            self.assertEqual(sorted(taken), [(p, o) for p in sorted(owned[name])
                                             for o in range(10, 15)])
        first.commit(asynchronous=False)
        second.commit(offsets=[TopicPartition(topic, p, 12) for p in owned["second"]],
                      asynchronous=False)
        second.close()

        # The first consumer takes over every partition, from the committed offsets.
        expected = [(p, o) for p in sorted(owned["second"]) for o in (12, 13, 14)]
        taken = self.poll_records(first, len(expected),
                                  until=lambda: len(first.assignment()) == PARTITIONS)
        self.assertEqual(len(first.assignment()), PARTITIONS)
        self.assertEqual(sorted(taken), expected)
        self.produce(topic, [(p, b"p%d-15" % p) for p in range(PARTITIONS)])
        self.assertEqual(sorted(self.poll_records(first, PARTITIONS)),
                         [(p, 15) for p in range(PARTITIONS)])

    def poll_records(self, consumer, count, until=lambda: True):
        """(partition, offset) of the records polled until `count` arrived
        and `until()` holds or the deadline passed, and then for one more
        second, so that extra records are seen too."""
        records = []
        deadline = Deadline()
        while deadline and (len(records) < count or not until()):
            message = consumer.poll(0.1)
            if message is not None:
                self.assertIsNone(message.error())
                records.append((message.partition(), message.offset()))
        settle = Deadline(1)
        while settle:
            message = consumer.poll(0.1)
            if message is not None:
                records.append((message.partition(), message.offset()))
        return records

    def test_committed_offsets_survive_a_broker_restart(self):
        broker = BrokerProcess("--default-partitions", str(PARTITIONS))
        self.addCleanup(broker.close)
        topic, group = "cf-restart", "cf-restart-group"
        self.produce(topic, [(p, b"before-%d-%d" % (p, i)) for p in range(PARTITIONS)
                             for i in range(3)], broker=broker)
        consumer = self.consumer(group, broker=broker)
        consumer.subscribe([topic])
        read = []
        deadline = Deadline()
        while deadline and len(read) < 3 * PARTITIONS:
            message = consumer.poll(0.1)
            if message is not None:
                read.append(message.value())
        self.assertEqual(len(read), 3 * PARTITIONS)
        # Commit up to offset 2 of each partition: the third record stays unread.
        consumer.commit(offsets=[TopicPartition(topic, p, 2) for p in range(PARTITIONS)],
                        asynchronous=False)
        consumer.close()

        broker.restart()
        self.produce(topic, [(p, b"after-%d" % p) for p in range(PARTITIONS)], broker=broker)
        resumed_consumer = self.consumer(group, broker=broker)
        committed = resumed_consumer.committed(
            [TopicPartition(topic, p) for p in range(PARTITIONS)], timeout=WAIT_SECONDS)
        self.assertEqual([tp.offset for tp in committed], [2] * PARTITIONS)
        resumed_consumer.subscribe([topic])
        resumed = []
        deadline = Deadline()
        while deadline and len(resumed) < 2 * PARTITIONS:
            message = resumed_consumer.poll(0.1)
            if message is not None:
                self.assertIsNone(message.error())
                resumed.append((message.partition(), message.offset(), message.value()))
        self.assertEqual(sorted(resumed),
                         sorted([(p, 2, b"before-%d-2" % p) for p in range(PARTITIONS)]
                                + [(p, 3, b"after-%d" % p) for p in range(PARTITIONS)]))


def close_quietly(consumer):
    try:
        consumer.close()
    except RuntimeError:
        pass  # already closed


if __name__ == "__main__":
    unittest.main()
