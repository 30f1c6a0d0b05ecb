"""End to end into Cassandra's place: the streaming job writes created users to
the CQL store (`spark_streams.created_users`), and the DataStax Python driver
(python3-cassandra) reads them back, as the classic project does.

 - `runnel demo` runs the embedded default (broker, ingestion, job, store);
   afterwards `runnel store` serves the same data directory and the driver
   finds every produced user, once, with the topic's values.
 - `runnel stream --cassandra` against `runnel store`: while users keep
   arriving, the job is killed with SIGKILL several times, and the store is
   killed with SIGKILL and restarted under it; at the end the table holds
   every user of the topic exactly once, with the topic's values, and the
   job's stored offsets are the topic's end.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v pipeline_store_test
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import json
import logging
import os
import random
import time
import unittest

from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.policies import RoundRobinPolicy

from broker_process import BrokerProcess
from pipeline_support import (JOB, TEXT_FIELDS, TIMESTAMP_FIELDS, TOPIC, end_offsets,
                              produced_of, read_topic, require_binary, run, start, stored_of,
                              temporary_data_dir, timestamp_micros, wait_until)
from store_process import StoreProcess

DEMO_USERS = 3000
USERS = 20000
KILLS = 3
STORE_SECONDS = 30

# The driver warns about its protocol downgrade; expected here.
logging.getLogger("cassandra").setLevel(logging.ERROR)


class StoredInCassandra:
    """What the job stored in spark_streams.created_users, read with the
    DataStax driver."""

    def __init__(self, host, port):
        profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), request_timeout=30)
        self.cluster = Cluster([host], port=port, connect_timeout=5, control_connection_timeout=5,
                               execution_profiles={EXEC_PROFILE_DEFAULT: profile})
        self.session = self.cluster.connect()

    def close(self):
        self.cluster.shutdown()

    def table_exists(self):
        rows = self.session.execute(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'spark_streams'")
        return "created_users" in {row.table_name for row in rows}

    def count(self):
        if not self.table_exists():
            return 0
        return self.session.execute("SELECT COUNT(*) FROM spark_streams.created_users").one()[0]

    def users(self):
        """{id: {field: value}}; every row seen once, paged by the driver."""
        users = {}
        for row in self.session.execute("SELECT * FROM spark_streams.created_users"):
            user_id = str(row.id)
            if user_id in users:
                raise AssertionError("user %s read twice" % user_id)
            users[user_id] = row
        return users

    def stored_offsets(self, job=JOB):
        rows = self.session.execute(
            "SELECT topic, partition, next_offset FROM spark_streams.runnel_offsets "
            "WHERE job = %s", [job])
        return {(row.topic, row.partition): row.next_offset for row in rows}


def micros(moment):
    """Microseconds since the epoch of the driver's (naive UTC) datetime."""
    return timestamp_micros(moment.isoformat() + "+00:00")


class PipelineStoreTest(unittest.TestCase):
    def setUp(self):
        require_binary()
        self.data_dir = temporary_data_dir(self)

    def read_back(self, store):
        stored = StoredInCassandra(store.host, store.port)
        self.addCleanup(stored.close)
        return stored

    def assert_matches_topic(self, users, records):
        self.assertEqual(sorted(users), sorted(record.key.decode() for record in records))
        for record in records:
            expected = json.loads(record.value)
            row = users[record.key.decode()]
            for field in TEXT_FIELDS:
                self.assertEqual(getattr(row, field), expected[field], field)
            for field in TIMESTAMP_FIELDS:
                self.assertEqual(micros(getattr(row, field)) // 1000,
                                 timestamp_micros(expected[field]) // 1000, field)

    def test_demo_stores_every_user_in_the_embedded_store(self):
        result = run(["--data-dir", self.data_dir, "demo", "--users", str(DEMO_USERS),
                      "--broker-listen", "127.0.0.1:0", "--store-listen", "127.0.0.1:0",
                      "--seed", "store-demo"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(produced_of(result.stdout), (DEMO_USERS, TOPIC, 0))
        job, stored_count, where, dead_letters = stored_of(result.stdout)
        self.assertEqual((job, stored_count, dead_letters), (JOB, DEMO_USERS, 0))
        self.assertIn("Cassandra table spark_streams.created_users", where)
        names = [line.strip() for line in result.stdout.split("a sample of the stored users:")[1]
                 .strip().splitlines()]
        self.assertEqual(len(names), 5, result.stdout)

        # The demo's store is gone with it; its data directory is served again.
        store = StoreProcess(data_dir=self.data_dir)
        self.addCleanup(store.close)
        stored = self.read_back(store)
        self.assertEqual(stored.count(), DEMO_USERS)
        rows = list(stored.session.execute(
            "SELECT first_name, last_name FROM spark_streams.created_users"))
        self.assertEqual(len(rows), DEMO_USERS)
        stored_names = {row.first_name + " " + row.last_name for row in rows}
        for name in names:
            self.assertIn(name, stored_names)

        broker = BrokerProcess(data_dir=self.data_dir)  # the demo's topic, served again
        self.addCleanup(broker.close)
        records = read_topic(broker.bootstrap, TOPIC)
        self.assertEqual(len(records), DEMO_USERS)
        self.assert_matches_topic(stored.users(), records)
        ends = end_offsets(broker.bootstrap, TOPIC)
        self.assertEqual(stored.stored_offsets(),
                         {(TOPIC, partition): end for partition, end in ends.items()})

    def test_killed_job_and_store_lose_and_double_nothing(self):
        broker = BrokerProcess()
        self.addCleanup(broker.close)
        store = StoreProcess()
        self.addCleanup(store.close)
        ingest = run(["ingest", "--kafka", broker.bootstrap, "--users", str(USERS // 2),
                      "--seed", "store-before"])
        self.assertEqual(ingest.returncode, 0, ingest.stderr)

        stream_args = ["--data-dir", self.data_dir, "stream", "--kafka", broker.bootstrap,
                       "--cassandra", "%s:%d" % (store.host, store.port)]
        rng = random.Random(7)
        stored = self.read_back(store)
        kills_while_arriving = []
        with open(os.path.join(self.data_dir, "ingest.log"), "wb") as ingest_log:
            # Users keep arriving while the job and the store are killed.
            arriving = start(["ingest", "--kafka", broker.bootstrap, "--rate", "500",
                              "--users", str(USERS // 2), "--seed", "store-during"], ingest_log)
            self.addCleanup(lambda: arriving.poll() is None and arriving.kill())
            for run_number in range(KILLS):
                log_path = os.path.join(self.data_dir, "stream-%d.log" % run_number)
                with open(log_path, "wb") as log:
                    before = stored.count()
                    job = start(stream_args, log)
                    try:
                        wait_until(lambda: stored.count() > before or job.poll() is not None,
                                   STORE_SECONDS, "run %d to store a batch" % run_number)
                        time.sleep(rng.uniform(0.2, 1.0))
                        if run_number == 1:
                            # The store dies under the job and comes back on
                            # the same port; the job reconnects and goes on.
                            stored.close()
                            store.kill()
                            time.sleep(0.5)
                            store.start()
                            stored = self.read_back(store)
                            wait_until(lambda: stored.count() > before, STORE_SECONDS,
                                       "the job to store again after the store's restart")
                        with open(log_path, "rb") as f:
                            self.assertIsNone(job.poll(), "the job ended:\n" + f.read().decode())
                        kills_while_arriving.append(arriving.poll() is None)
                    finally:
                        job.kill()
                        job.wait(30)
            self.assertEqual(arriving.wait(60), 0)
        self.assertGreaterEqual(kills_while_arriving.count(True), 2,
                                "the job was not killed while users arrived")

        result = run(stream_args + ["--until-caught-up"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(stored_of(result.stderr)[3], 0)  # no dead letters
        records = read_topic(broker.bootstrap, TOPIC)
        self.assertEqual(len(records), USERS)
        self.assertEqual(stored.count(), USERS)
        self.assert_matches_topic(stored.users(), records)
        ends = end_offsets(broker.bootstrap, TOPIC)
        self.assertEqual(stored.stored_offsets(),
                         {(TOPIC, partition): end for partition, end in ends.items()})


if __name__ == "__main__":
    unittest.main()
