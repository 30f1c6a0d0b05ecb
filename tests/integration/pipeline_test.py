"""End-to-end tests of the bounded pipeline: `runnel demo` (embedded broker,
ingestion, the streaming job) into PostgreSQL and into the default JSON-lines
file, and `runnel stream` on a topic holding records that do not decode
(dead letters). What was stored is compared with what the topic holds, read
back with confluent-kafka.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v pipeline_test
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import json
import os
import unittest
import uuid

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from broker_process import BrokerProcess
from pipeline_support import (JOB, TABLE, TEXT_FIELDS, TIMESTAMP_FIELDS, TOPIC, PipelineTestCase,
                              end_offsets, expected_user, produced_of, read_topic, run,
                              stored_of, timestamp_micros)

DEMO_USERS = 3000
SAMPLE_HEADER = "a sample of the stored users:"


def sample_names(stdout):
    """The names `runnel demo` printed under its sample header."""
    lines = stdout.splitlines()
    if SAMPLE_HEADER not in lines:
        raise AssertionError("no sample of names in:\n" + stdout)
    after = lines[lines.index(SAMPLE_HEADER) + 1:]
    return [line.strip() for line in after if line.startswith("  ")]


class PipelineTest(PipelineTestCase):

    def topic_of_demo(self, topic=TOPIC):
        """The records of `topic` in the embedded broker's data, read through
        a `runnel broker` on the same directory."""
        broker = BrokerProcess(data_dir=self.data_dir)  # serves <data_dir>/broker, as demo's
        try:
            return read_topic(broker.bootstrap, topic), end_offsets(broker.bootstrap, topic)
        finally:
            code, output = broker.stop(), broker.output()
            broker.close()
            self.assertEqual(code, 0, output)

    def assert_matches_topic(self, stored, records):
        """`stored` ({id: fields}) holds exactly the topic's users, field by
        field."""
        keys = [record.key.decode() for record in records]
        self.assertEqual(len(set(keys)), len(keys), "the topic holds a key twice")
        self.assertEqual(sorted(stored), sorted(keys))
        for record in records:
            user_id, expected = expected_user(record.value)
            self.assertEqual(user_id, record.key.decode())
            self.assertEqual(stored[user_id], expected, "user %s" % user_id)

    # runnel demo -------------------------------------------------------------

    def test_demo_into_postgres_stores_every_produced_user_once(self):
        result = run(["--data-dir", self.data_dir, "demo", "--users", str(DEMO_USERS),
                      "--broker-listen", "127.0.0.1:0", "--store-listen", "127.0.0.1:0",
                      "--postgres", self.postgres.url(self.database)])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(produced_of(result.stdout), (DEMO_USERS, TOPIC, 0))
        job, stored_count, where, dead_letters = stored_of(result.stdout)
        self.assertEqual((job, stored_count, dead_letters), (JOB, DEMO_USERS, 0))
        self.assertIn("PostgreSQL table " + TABLE, where)

        self.assertEqual(self.stored.count(), (DEMO_USERS, DEMO_USERS))
        users = self.stored.users()
        names = sample_names(result.stdout)
        self.assertEqual(len(names), 5, result.stdout)
        stored_names = {user["first_name"] + " " + user["last_name"] for user in users.values()}
        for name in names:
            self.assertIn(name, stored_names)

        records, ends = self.topic_of_demo()
        self.assertEqual(len(records), DEMO_USERS)
        self.assert_matches_topic(users, records)
        # The job's stored offsets are the topic's end: nothing left to read.
        self.assertEqual(self.stored.stored_offsets(),
                         {(TOPIC, partition): end for partition, end in ends.items()})

    def test_demo_without_cassandra_into_the_default_json_lines_file(self):
        result = run(["--data-dir", self.data_dir, "demo", "--users", str(DEMO_USERS),
                      "--broker-listen", "127.0.0.1:0", "--no-cassandra"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(produced_of(result.stdout), (DEMO_USERS, TOPIC, 0))
        path = os.path.join(self.data_dir, "stream", "created_users.jsonl")
        _, stored_count, where, dead_letters = stored_of(result.stdout)
        self.assertEqual((stored_count, dead_letters), (DEMO_USERS, 0))
        self.assertIn(path, where)

        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
        self.assertEqual(lines[-1], b"", "the file does not end with a newline")
        lines = lines[:-1]
        self.assertEqual(len(lines), DEMO_USERS)
        stored = {}
        for line in lines:
            row = json.loads(line)
            self.assertNotIn(row["id"], stored)
            stored[row["id"]] = dict({field: row[field] for field in TEXT_FIELDS},
                                     **{field: timestamp_micros(row[field])
                                        for field in TIMESTAMP_FIELDS})
        last_rows = [json.loads(line) for line in lines[-5:]]
        self.assertEqual(sample_names(result.stdout),
                         [row["first_name"] + " " + row["last_name"] for row in last_rows])

        records, _ = self.topic_of_demo()
        self.assertEqual(len(records), DEMO_USERS)
        self.assert_matches_topic(stored, records)

    # Starting offsets ----------------------------------------------------------

    def test_a_new_job_starts_at_earliest_or_latest_as_asked(self):
        broker = BrokerProcess()
        self.addCleanup(broker.close)
        ingested = run(["ingest", "--kafka", broker.bootstrap, "--users", "500"])
        self.assertEqual(ingested.returncode, 0, ingested.stderr)
        cases = (("from-latest", "latest", 0), ("from-earliest", "earliest", 500))
        for job, start, expected in cases:
            output = os.path.join(self.data_dir, job + ".jsonl")
            result = run(["stream", "--kafka", broker.bootstrap, "--until-caught-up", "--job", job,
                          "--starting-offsets", start, "--output", output])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(stored_of(result.stderr)[1], expected, job)
            with open(output) as stored:
                self.assertEqual(sum(1 for _ in stored), expected, job)

    # Dead letters ------------------------------------------------------------

    def test_records_that_do_not_decode_go_to_the_dead_letter_topic_byte_for_byte(self):
        broker = BrokerProcess()
        self.addCleanup(broker.close)
        admin = AdminClient({"bootstrap.servers": broker.bootstrap})
        admin.create_topics([NewTopic(TOPIC, 2, 1)])[TOPIC].result(30)

        def good_user(n):
            return {"id": str(uuid.uuid4()), "first_name": "First%d" % n,
                    "last_name": "Last%d" % n, "gender": "female",
                    "address": "%d Main Street, Springfield, Oregon, United States" % n,
                    "post_code": "9%04d" % n, "email": "user%d@example.com" % n,
                    "username": "user%d" % n, "dob": "1980-01-02T03:04:%02d.678Z" % (n % 60),
                    "registered_date": "2015-06-07T08:09:10Z", "phone": "(555) 010-%04d" % n,
                    "picture": "https://randomuser.me/api/portraits/med/women/%d.jpg" % (n % 99)}

        template = json.dumps(good_user(0)).encode()
        wrong_type = dict(good_user(1), id=42)
        missing = good_user(2)
        del missing["first_name"]
        # (key, value, what the reason must mention)
        bad = [
            (b"truncated", template[:len(template) // 2], "not valid JSON"),
            (b"wrong-type", json.dumps(wrong_type).encode(), "id"),
            (b"missing", json.dumps(missing).encode(), "first_name"),
            (b"garbage", bytes([0xff, 0x00, 0xfe, 0x80, 0x7b, 0x22, 0xc3]) + bytes(range(256)),
             "JSON"),
            (b"empty", b"", "empty"),
            (b"array", json.dumps([good_user(3)]).encode(), "array"),
            (b"null", None, "no value"),
            (b"bad-timestamp", json.dumps(dict(good_user(4), dob="yesterday")).encode(), "dob"),
        ]
        good = [good_user(n) for n in range(10, 10 + 3 * len(bad))]
        producer = Producer({"bootstrap.servers": broker.bootstrap, "enable.idempotence": True})
        positions = {}  # key -> (partition, offset) of the bad records

        def delivered(error, message):
            self.assertIsNone(error)
            positions[message.key()] = (message.partition(), message.offset())

        # Good and bad interleaved on both partitions, a bad one last.
        sequence = []  # (key, value, partition)
        for index, user in enumerate(good):
            sequence.append((user["id"].encode(), json.dumps(user).encode(), index % 2))
            if index % 3 == 2:
                sequence.append(bad[index // 3][:2] + ((index // 3) % 2,))
        for key, value, partition in sequence:
            producer.produce(TOPIC, value=value, key=key, partition=partition,
                             on_delivery=delivered)
        self.assertEqual(producer.flush(30), 0)
        self.assertEqual(len(positions), len(sequence))

        stream = ["--data-dir", self.data_dir, "stream", "--kafka", broker.bootstrap,
                  "--until-caught-up", "--postgres", self.postgres.url(self.database)]
        result = run(stream)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(stored_of(result.stderr)[1:4:2], (len(good), len(bad)))

        stored = self.stored.users()
        self.assertEqual(sorted(stored), sorted(user["id"] for user in good))
        for user in good:
            _, expected = expected_user(json.dumps(user))
            self.assertEqual(stored[user["id"]], expected)

        letters = read_topic(broker.bootstrap, TOPIC + ".dlq")
        self.assertEqual(sorted(letter.key for letter in letters), sorted(key for key, _, _ in bad))
        by_key = {letter.key: letter for letter in letters}
        for key, value, mention in bad:
            letter = by_key[key]
            self.assertEqual(letter.value, value, key)
            reason = letter.header("runnel.dlq.reason")
            self.assertTrue(reason, key)
            self.assertIn(mention, reason, key)
            self.assertEqual(letter.header("runnel.dlq.topic"), TOPIC)
            self.assertEqual((int(letter.header("runnel.dlq.partition")),
                              int(letter.header("runnel.dlq.offset"))), positions[key], key)

        # Acknowledged with their batches: a second run stores and sends
        # nothing again.
        again = run(stream)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(stored_of(again.stderr)[1:4:2], (0, 0))
        self.assertEqual(len(read_topic(broker.bootstrap, TOPIC + ".dlq")), len(bad))
        self.assertEqual(self.stored.count(), (len(good), len(good)))


if __name__ == "__main__":
    unittest.main()
