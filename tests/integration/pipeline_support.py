"""Helpers shared by the end-to-end pipeline tests (pipeline_*test.py):
running `runnel` commands with bounded waits, reading a topic back with
confluent-kafka, and reading what the streaming job stored in PostgreSQL
(tests/integration/postgres_process.py).
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from confluent_kafka import Consumer, KafkaError, TopicPartition

from broker_process import BINARY
from postgres_process import PostgresProcess

COMMAND_SECONDS = 120
READ_SECONDS = 60
TOPIC = "users_created"
JOB = "users_to_store"
TABLE = "created_users"
TEXT_FIELDS = ["first_name", "last_name", "gender", "address", "post_code", "email", "username",
               "phone", "picture"]
TIMESTAMP_FIELDS = ["dob", "registered_date"]
PRODUCED = re.compile(r"^produced ([\d,]+) users to (\S+) in [\d.]+ s \([\d,]+ users/s\), "
                      r"([\d,]+) failed", re.MULTILINE)
STORED = re.compile(r"^job (\S+) stored ([\d,]+) users in (.+?)"
                    r"(?: in [\d.]+ s \([\d,]+ users/s\))?, ([\d,]+) dead letters$", re.MULTILINE)


def number(text):
    return int(text.replace(",", ""))


def run(args, timeout=COMMAND_SECONDS):
    """`runnel args...` to completion; stdout and stderr decoded."""
    result = subprocess.run([BINARY, *args], stdin=subprocess.DEVNULL, capture_output=True,
                            timeout=timeout)
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    return result


def start(args, log):
    """`runnel args...` in the background, its output (both streams) to the
    open file `log`."""
    return subprocess.Popen([BINARY, *args], stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT)


def stop_process(process, sig, seconds=60):
    """Sends `sig` and waits; kills (and returns None) when it does not end in
    time, else returns the exit code."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def produced_of(output):
    """(users delivered, topic, failed) from the ingestion's summary line."""
    match = PRODUCED.search(output)
    if not match:
        raise AssertionError("no 'produced N users' summary in:\n" + output)
    return number(match.group(1)), match.group(2), number(match.group(3))


def stored_of(output):
    """(job, users stored, where, dead letters) from the job's closing line."""
    match = STORED.search(output)
    if not match:
        raise AssertionError("no 'job ... stored N users' line in:\n" + output)
    return match.group(1), number(match.group(2)), match.group(3), number(match.group(4))


def wait_until(predicate, seconds, what):
    """Polls `predicate` until true; AssertionError naming `what` after
    `seconds`."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %s s waiting for %s" % (seconds, what))
        time.sleep(0.2)


class Record:
    __slots__ = ("partition", "offset", "key", "value", "headers")

    def __init__(self, message):
        self.partition = message.partition()
        self.offset = message.offset()
        self.key = message.key()
        self.value = message.value()
        self.headers = message.headers() or []

    def header(self, name):
        values = [value for key, value in self.headers if key == name]
        if len(values) != 1:
            raise AssertionError("header %s appears %d times in %r" % (name, len(values),
                                                                     self.headers))
        return values[0].decode("utf-8") if values[0] is not None else None


def read_topic(bootstrap, topic):
    """Every record of `topic`, in log order per partition (partitions in
    turn), read from the beginning to each partition's end."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "pipeline-test-reader",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        if topic not in metadata.topics or metadata.topics[topic].error is not None:
            raise AssertionError("topic %s does not exist" % topic)
        partitions = sorted(metadata.topics[topic].partitions)
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        records, at_end = [], set()
        deadline = time.monotonic() + READ_SECONDS
        while len(at_end) < len(partitions):
            if time.monotonic() > deadline:
                raise AssertionError("reading %s timed out" % topic)
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(message.partition())
                    continue
                raise AssertionError("reading %s: %s" % (topic, message.error()))
            at_end.discard(message.partition())
            records.append(Record(message))
        records.sort(key=lambda record: (record.partition, record.offset))
        return records
    finally:
        consumer.close()


def end_offsets(bootstrap, topic):
    """{partition: high watermark}."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "pipeline-test-offsets"})
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
                for p in metadata.topics[topic].partitions}
    finally:
        consumer.close()


def timestamp_micros(iso):
    """Microseconds since the epoch of an ISO 8601 timestamp ('Z' or an
    offset)."""
    moment = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    delta = moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


class StoredUsers:
    """What the streaming job stored in one database of a PostgresProcess."""

    def __init__(self, postgres, database, table=TABLE):
        self.postgres = postgres
        self.database = database
        self.table = table

    def count(self):
        """(rows, distinct ids); (0, 0) while the table does not exist."""
        exists = self.postgres.query("SELECT to_regclass('public.%s') IS NOT NULL" % self.table,
                                     self.database)
        if exists[0][0] != "t":
            return 0, 0
        rows = self.postgres.query('SELECT count(*), count(DISTINCT id) FROM "%s"' % self.table,
                                   self.database)
        return int(rows[0][0]), int(rows[0][1])

    def ids(self):
        return [row[0] for row in self.postgres.query('SELECT id FROM "%s"' % self.table,
                                                      self.database)]

    def users(self):
        """{id: {field: text, timestamp field: microseconds or None}}."""
        columns = ", ".join(['"%s"' % f for f in TEXT_FIELDS] +
                            ["(extract(epoch FROM \"%s\") * 1000000)::bigint" % f
                             for f in TIMESTAMP_FIELDS])
        users = {}
        for row in self.postgres.query('SELECT id, %s FROM "%s"' % (columns, self.table),
                                       self.database):
            user = dict(zip(TEXT_FIELDS, row[1:1 + len(TEXT_FIELDS)]))
            for field, value in zip(TIMESTAMP_FIELDS, row[1 + len(TEXT_FIELDS):]):
                user[field] = None if value is None else int(value)
            users[row[0]] = user
        return users

    def stored_offsets(self, job=JOB):
        """{(topic, partition): next offset} from runnel_offsets."""
        rows = self.postgres.query(
            "SELECT topic, partition, next_offset FROM runnel_offsets WHERE job = '%s'" % job,
            self.database)
        return {(topic, int(partition)): int(offset) for topic, partition, offset in rows}

    def overwrites(self):
        """(rows inserted, rows updated) by the server's statistics, once no
        other session is connected to the database (so that every session's
        counts were reported): an upsert that met a row already there counts
        as an update."""
        wait_until(lambda: self.postgres.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s' AND pid <> pg_backend_pid()"
            % self.database, self.database)[0][0] == "0", 30, "the job's sessions to end")
        row = self.postgres.query(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname = '%s'"
            % self.table, self.database)[0]
        return int(row[0]), int(row[1])


def expected_user(value):
    """The stored form of a created user's JSON value."""
    user = json.loads(value)
    expected = {field: user[field] for field in TEXT_FIELDS}
    for field in TIMESTAMP_FIELDS:
        expected[field] = timestamp_micros(user[field])
    return user["id"], expected


def require_binary():
    if not os.access(BINARY, os.X_OK):
        raise RuntimeError("runnel binary not found at %s (build it, or set RUNNEL_BINARY)"
                           % BINARY)


def temporary_data_dir(test):
    """A fresh --data-dir, removed when `test` ends."""
    data_dir = tempfile.mkdtemp(prefix="runnel-pipeline-")
    test.addCleanup(shutil.rmtree, data_dir, ignore_errors=True)
    return data_dir


class PipelineTestCase(unittest.TestCase):
    """One throwaway PostgreSQL cluster for the test class; per test, a
    database named after the test (read through self.stored) and a data
    directory."""

    postgres = None

    @classmethod
    def setUpClass(cls):
        require_binary()
        cls.postgres = PostgresProcess()

    @classmethod
    def tearDownClass(cls):
        if cls.postgres is not None:
            cls.postgres.close()

    def setUp(self):
        self.database = self._testMethodName.lower()
        self.postgres.create_database(self.database)
        self.stored = StoredUsers(self.postgres, self.database)
        self.data_dir = temporary_data_dir(self)
