"""kafka-python against `runnel broker`, unchanged.

KafkaProducer with acks=all and compression, KafkaConsumer in a group
(subscribe, poll, commit, a second instance resuming from the commit) and
without one (assign, seek), and KafkaAdminClient creating, listing,
describing and deleting topics. kafka-python infers the broker's version
from ApiVersions; it must see a modern broker.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v broker_kafka_python_test
"""

import logging
import time
import unittest

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.codec import has_lz4
from kafka.errors import TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from broker_kcat_test import codec_of, first_batch
from broker_process import BrokerProcess

PARTITIONS = 4
WAIT_SECONDS = 20
GROUP_SETTINGS = dict(session_timeout_ms=6000, heartbeat_interval_ms=500,
                      auto_offset_reset="earliest", enable_auto_commit=False)
GZIP, LZ4 = 1, 3

logging.getLogger("kafka").setLevel(logging.WARNING)


class BrokerKafkaPythonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = BrokerProcess("--default-partitions", str(PARTITIONS))

    @classmethod
    def tearDownClass(cls):
        assert cls.broker.close() == 0

    def producer(self, **config):
        producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap, acks="all", **config)
        self.addCleanup(producer.close, 5)
        return producer

    def consumer(self, *topics, **config):
        consumer = KafkaConsumer(*topics, bootstrap_servers=self.broker.bootstrap,
                                 consumer_timeout_ms=1000, **config)
        self.addCleanup(consumer.close)
        return consumer

    def admin(self):
        admin = KafkaAdminClient(bootstrap_servers=self.broker.bootstrap)
        self.addCleanup(admin.close)
        return admin

    def produce(self, topic, messages, **config):
        """Sends (partition, key, value) tuples; returns their (partition, offset)s."""
        producer = self.producer(**config)
        futures = [producer.send(topic, key=key, value=value, partition=partition,
                                 headers=[("source", b"kafka-python")])
                   for partition, key, value in messages]
        producer.flush(WAIT_SECONDS)
        return [(m.partition, m.offset) for m in (f.get(WAIT_SECONDS) for f in futures)]

    def poll_until(self, consumer, count, seconds=WAIT_SECONDS):
        """Records polled until `count` arrived or `seconds` passed, and then
        for one more second, so that extra records are seen too."""
        records = []
        deadline = time.monotonic() + seconds
        while len(records) < count and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        settle = time.monotonic() + 1
        while time.monotonic() < settle:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records

    def test_infers_a_modern_broker_version(self):
        producer = self.producer()
        self.assertGreaterEqual(producer.config["api_version"], (2, 0))
        consumer = self.consumer()
        self.assertGreaterEqual(consumer.config["api_version"], (2, 0))

    def test_acks_all_producer_round_trip(self):
        topic = "kp-acks-all"
        messages = [(i % PARTITIONS, b"key-%d" % i, b"value-%d" % i) for i in range(20)]
        placed = self.produce(topic, messages)
        self.assertEqual(sorted(placed),
                         sorted((p, o) for p in range(PARTITIONS) for o in range(5)))
        consumer = self.consumer()
        consumer.assign([TopicPartition(topic, p) for p in range(PARTITIONS)])
        consumer.seek_to_beginning()
        records = self.poll_until(consumer, len(messages))
        self.assertEqual(sorted((r.partition, r.key, r.value) for r in records), sorted(messages))
        self.assertTrue(all(r.headers == [("source", b"kafka-python")] for r in records))

    def check_compressed_round_trip(self, codec, codec_id):
        topic = "kp-" + codec
        values = [b"%s-%d-%s" % (codec.encode(), i, b"xyz" * 200) for i in range(10)]
        self.produce(topic, [(2, b"k%d" % i, v) for i, v in enumerate(values)],
                     compression_type=codec, linger_ms=50)
        self.assertEqual(codec_of(first_batch(self.broker.port, topic, 2)), codec_id)
        consumer = self.consumer()
        consumer.assign([TopicPartition(topic, 2)])
        consumer.seek_to_beginning()
        records = self.poll_until(consumer, len(values))
        self.assertEqual([r.value for r in records], values)
        self.assertEqual([r.offset for r in records], list(range(len(values))))

    def test_gzip_producer(self):
        self.check_compressed_round_trip("gzip", GZIP)

    @unittest.skipUnless(has_lz4(), "the python3-lz4 module is not installed, so kafka-python "
                         "cannot compress with lz4")
    def test_lz4_producer(self):
        self.check_compressed_round_trip("lz4", LZ4)

    def test_group_consumer_resumes_from_the_commit(self):
        topic, group = "kp-group", "kp-group-1"
        messages = [(p, b"p%d" % p, b"p%d-%d" % (p, i)) for p in range(PARTITIONS) for i in range(8)]
        self.produce(topic, messages)

        first = self.consumer(topic, group_id=group, **GROUP_SETTINGS)
        records = self.poll_until(first, len(messages))
        self.assertEqual(sorted(r.value for r in records), sorted(m[2] for m in messages))
        self.assertEqual(first.assignment(),
                         {TopicPartition(topic, p) for p in range(PARTITIONS)})
        # Commit five records of each partition only: the rest is unconsumed.
        first.commit({TopicPartition(topic, p): OffsetAndMetadata(5, "kp") for p in range(PARTITIONS)})
        self.assertEqual([first.committed(TopicPartition(topic, p)) for p in range(PARTITIONS)],
                         [5] * PARTITIONS)
        first.close()

        offsets = self.admin().list_consumer_group_offsets(group)
        self.assertEqual({tp: o.offset for tp, o in offsets.items()},
                         {TopicPartition(topic, p): 5 for p in range(PARTITIONS)})

        second = self.consumer(topic, group_id=group, **GROUP_SETTINGS)
        resumed = self.poll_until(second, PARTITIONS * 3)
        self.assertEqual(sorted((r.partition, r.offset, r.value) for r in resumed),
                         [(p, i, b"p%d-%d" % (p, i)) for p in range(PARTITIONS) for i in (5, 6, 7)])
        second.commit()
        self.assertEqual([second.committed(TopicPartition(topic, p)) for p in range(PARTITIONS)],
                         [8] * PARTITIONS)

    def test_assigned_consumer_seeks(self):
        topic = "kp-seek"
        self.produce(topic, [(1, None, b"v%d" % i) for i in range(10)])
        tp = TopicPartition(topic, 1)
        consumer = self.consumer()
        consumer.assign([tp])
        self.assertEqual(consumer.beginning_offsets([tp]), {tp: 0})
        self.assertEqual(consumer.end_offsets([tp]), {tp: 10})
        consumer.seek_to_beginning(tp)
        self.assertEqual([r.value for r in self.poll_until(consumer, 10)],
                         [b"v%d" % i for i in range(10)])
        consumer.seek(tp, 7)
        self.assertEqual([r.offset for r in self.poll_until(consumer, 3)], [7, 8, 9])
        consumer.seek_to_end(tp)
        self.assertEqual(consumer.position(tp), 10)
        self.assertEqual(self.poll_until(consumer, 1, seconds=1), [])

    def test_admin_topic_lifecycle(self):
        admin = self.admin()
        topic = "kp-admin"
        admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1,
                                      topic_configs={"retention.ms": "3600000"})])
        self.assertIn(topic, admin.list_topics())
        self.assertEqual(self.consumer().partitions_for_topic(topic), {0, 1, 2})

        [described] = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        [(error, _message, _type, name, entries)] = described.resources
        self.assertEqual((error, name), (0, topic))
        configs = {entry[0]: entry[1] for entry in entries}
        self.assertEqual(configs["retention.ms"], "3600000")
        self.assertEqual(configs["cleanup.policy"], "delete")

        with self.assertRaises(TopicAlreadyExistsError):
            admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        self.assertEqual(self.consumer().partitions_for_topic(topic), {0, 1, 2})

        admin.delete_topics([topic])
        self.assertNotIn(topic, admin.list_topics())


if __name__ == "__main__":
    unittest.main()
