"""`runnel store` stopped while clients write: killed with SIGKILL, or told to
stop with SIGTERM. Either way every insert the server acknowledged is there
after a restart (the write-ahead log is synced before the answer) and the
store opens cleanly; on SIGTERM it also exits 0 with the clients still
connected.

Run from tests/integration:
    RUNNEL_BINARY=../../build/runnel /usr/bin/python3 -m unittest -v store_crash_test
"""

import logging
import threading
import time
import unittest
import uuid

from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.policies import RoundRobinPolicy
from cassandra.query import SimpleStatement

from store_process import StoreProcess

KILLS = 3
WRITE_SECONDS = 1.5
WRITERS = 4

logging.getLogger("cassandra").setLevel(logging.CRITICAL)


def connect(store):
    profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), request_timeout=10)
    cluster = Cluster([store.host], port=store.port, protocol_version=4,
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile},
                      connect_timeout=5, control_connection_timeout=5)
    return cluster, cluster.connect()


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.store = StoreProcess()
        cluster, session = connect(self.store)
        session.execute("CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = "
                        "{'class': 'SimpleStrategy', 'replication_factor': '1'}")
        session.execute("CREATE TABLE IF NOT EXISTS spark_streams.created_users "
                        "(id uuid PRIMARY KEY, first_name text, email text)")
        cluster.shutdown()
        self.acknowledged = []

    def tearDown(self):
        code = self.store.stop()
        log = self.store.output()
        self.store.close()
        self.assertEqual(code, 0, log[-3000:])

    def write_then(self, interrupt, label):
        """Four clients insert until `interrupt` stops the store; returns the
        store's exit code. Acknowledged ids go to self.acknowledged."""
        cluster, session = connect(self.store)
        insert = session.prepare("INSERT INTO spark_streams.created_users "
                                 "(id, first_name, email) VALUES (?, ?, ?)")
        stop = threading.Event()
        lock = threading.Lock()

        def write():
            while not stop.is_set():
                key = uuid.uuid4()
                try:
                    session.execute(insert, (key, label, "%s@example.com" % key), timeout=5)
                except Exception:
                    return  # the server is gone
                with lock:
                    self.acknowledged.append(key)

        writers = [threading.Thread(target=write) for _ in range(WRITERS)]
        for writer in writers:
            writer.start()
        time.sleep(WRITE_SECONDS)
        code = interrupt()  # mid-write: the writers are still going
        stop.set()
        for writer in writers:
            writer.join(10)
        cluster.shutdown()
        return code

    def assert_every_acknowledged_insert_is_stored(self, label):
        self.store.start()
        cluster, session = connect(self.store)
        stored = {row.id for row in session.execute(
            SimpleStatement("SELECT id FROM spark_streams.created_users", fetch_size=1000))}
        cluster.shutdown()
        missing = [key for key in self.acknowledged if key not in stored]
        self.assertEqual(missing, [], "%s: %d of %d acknowledged inserts lost"
                         % (label, len(missing), len(self.acknowledged)))

    def test_acknowledged_inserts_survive_kill_9(self):
        for round_number in range(KILLS):
            label = "kill %d" % round_number
            self.write_then(self.store.kill, label)
            self.assert_every_acknowledged_insert_is_stored(label)
        self.assertGreater(len(self.acknowledged), 20 * KILLS, "too few writes to prove anything")

    def test_sigterm_mid_write_exits_0_and_keeps_what_it_acknowledged(self):
        code = self.write_then(self.store.stop, "sigterm")
        self.assertEqual(code, 0, self.store.output()[-3000:])
        self.assertGreater(len(self.acknowledged), 20, "too few writes to prove anything")
        self.assert_every_acknowledged_insert_is_stored("sigterm")


if __name__ == "__main__":
    unittest.main()
