"""`runnel broker`'s storage seen from outside: segment files roll, retention
by size and by time deletes whole old segments (ListOffsets' earliest offset
moves, the latest stays), data, committed offsets and deletions survive a
restart, and invalid topic configs are refused.

kafka-python is the client; the files are read from the broker's data
directory (<data_dir>/broker/topics/<topic>/<partition>/).

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/broker_storage_test.py
"""

import os
import re
import time
import unittest

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import InvalidConfigurationError
from kafka.structs import OffsetAndMetadata

from broker_process import BrokerProcess

SEGMENT_NAME = re.compile(r"^(\d{20})\.log$")
WAIT_SECONDS = 10
VALUE_BYTES = 200


def value(i):
    return ("%06d" % i).encode().ljust(VALUE_BYTES, b".")


class StorageTest(unittest.TestCase):
    def setUp(self):
        self.broker = BrokerProcess("--no-auto-create-topics",
                                    "--retention-check-interval-ms", "200")
        self.clients = []

    def tearDown(self):
        for client in self.clients:
            client.close()
        self.assertEqual(self.broker.close(), 0, "broker exit code")

    def admin(self):
        admin = KafkaAdminClient(bootstrap_servers=self.broker.bootstrap,
                                 request_timeout_ms=10000)
        self.clients.append(admin)
        return admin

    def create_topic(self, name, **configs):
        self.admin().create_topics([NewTopic(name, 1, 1, topic_configs={
            key.replace("_", "."): str(v) for key, v in configs.items()})])

    def produce(self, topic, first, count, timestamp_ms=None):
        """One batch per message, so segments fill record by record."""
        producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap, acks="all",
                                 linger_ms=0, max_block_ms=10000)
        try:
            for i in range(first, first + count):
                producer.send(topic, value(i), partition=0,
                              timestamp_ms=timestamp_ms).get(timeout=10)
        finally:
            producer.close()

    def offsets(self, topic):
        """(earliest, latest) by ListOffsets."""
        consumer = KafkaConsumer(bootstrap_servers=self.broker.bootstrap)
        try:
            tp = TopicPartition(topic, 0)
            return consumer.beginning_offsets([tp])[tp], consumer.end_offsets([tp])[tp]
        finally:
            consumer.close()

    def read_all(self, topic, group=None):
        consumer = KafkaConsumer(bootstrap_servers=self.broker.bootstrap, group_id=group,
                                 auto_offset_reset="earliest", enable_auto_commit=False,
                                 consumer_timeout_ms=2000)
        try:
            consumer.assign([TopicPartition(topic, 0)])
            return [(m.offset, m.value) for m in consumer]
        finally:
            consumer.close()

    def segments(self, topic):
        directory = os.path.join(self.broker.data_dir, "broker", "topics", topic, "0")
        return sorted(int(m.group(1)) for m in map(SEGMENT_NAME.match, os.listdir(directory))
                      if m)

    def wait_for_earliest(self, topic, above):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            earliest, latest = self.offsets(topic)
            if earliest > above:
                return earliest, latest
            time.sleep(0.2)
        self.fail("earliest offset of %s stayed at %d" % (topic, earliest))

    def test_segments_roll_by_size(self):
        self.create_topic("rolled", segment_bytes=2048)
        self.produce("rolled", 0, 100)
        segments = self.segments("rolled")
        self.assertGreaterEqual(len(segments), 8, segments)
        self.assertEqual(segments[0], 0)
        self.assertEqual(segments, sorted(set(segments)))
        self.assertEqual(self.offsets("rolled"), (0, 100))
        self.assertEqual(self.read_all("rolled"), [(i, value(i)) for i in range(100)])

    def test_retention_by_size_deletes_old_segments(self):
        self.create_topic("sized", segment_bytes=2048, retention_bytes=6000)
        self.produce("sized", 0, 150)
        earliest, latest = self.wait_for_earliest("sized", 0)
        self.assertEqual(latest, 150)
        segments = self.segments("sized")
        self.assertEqual(segments[0], earliest, "the earliest offset is the oldest segment's base")
        self.assertLessEqual(len(segments), 5, segments)
        self.assertGreater(earliest, 100)
        self.assertEqual(self.read_all("sized"), [(i, value(i)) for i in range(earliest, 150)])

    def test_retention_by_time_deletes_expired_segments(self):
        self.create_topic("timed", segment_bytes=2048, retention_ms=60000)
        an_hour_ago = int(time.time() * 1000) - 3600 * 1000
        self.produce("timed", 0, 60, timestamp_ms=an_hour_ago)
        self.produce("timed", 60, 20)
        earliest, latest = self.wait_for_earliest("timed", 0)
        self.assertEqual(latest, 80)
        self.assertLessEqual(earliest, 60, "recent records are kept")
        self.assertEqual(self.segments("timed")[0], earliest)
        self.assertEqual(self.read_all("timed"), [(i, value(i)) for i in range(earliest, 80)])

    def test_data_and_committed_offsets_survive_restart(self):
        self.create_topic("durable", segment_bytes=4096)
        self.produce("durable", 0, 50)
        committer = KafkaConsumer(bootstrap_servers=self.broker.bootstrap, group_id="keepers",
                                  enable_auto_commit=False)
        tp = TopicPartition("durable", 0)
        committer.assign([tp])
        committer.commit({tp: OffsetAndMetadata(30, "checkpoint")})
        committer.close()
        segments = self.segments("durable")

        self.broker.restart()
        self.assertEqual(self.segments("durable"), segments)
        self.assertEqual(self.offsets("durable"), (0, 50))
        self.assertEqual(self.read_all("durable"), [(i, value(i)) for i in range(50)])
        reader = KafkaConsumer(bootstrap_servers=self.broker.bootstrap, group_id="keepers",
                               enable_auto_commit=False)
        self.clients.append(reader)
        committed = reader.committed(tp, metadata=True)
        self.assertEqual((committed.offset, committed.metadata), (30, "checkpoint"))
        self.produce("durable", 50, 5)
        self.assertEqual(self.offsets("durable"), (0, 55))

    def test_deleted_topic_stays_deleted_after_restart(self):
        self.create_topic("doomed")
        self.create_topic("kept")
        self.produce("doomed", 0, 10)
        self.admin().delete_topics(["doomed"])
        self.broker.restart()
        topics = set(self.admin().list_topics())
        self.assertIn("kept", topics)
        self.assertNotIn("doomed", topics)
        self.assertFalse(os.path.exists(
            os.path.join(self.broker.data_dir, "broker", "topics", "doomed")))
        self.create_topic("doomed")
        self.assertEqual(self.offsets("doomed"), (0, 0), "a re-created topic starts empty")

    def test_invalid_topic_configs_are_refused(self):
        for configs in ({"no.such.config": "1"}, {"segment.bytes": "5"},
                        {"retention.ms": "soon"}):
            with self.subTest(configs=configs):
                with self.assertRaises(InvalidConfigurationError):
                    self.admin().create_topics([NewTopic("misconfigured", 1, 1,
                                                         topic_configs=configs)])
        self.assertNotIn("misconfigured", set(self.admin().list_topics()))


if __name__ == "__main__":
    unittest.main()
