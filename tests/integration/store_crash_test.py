"""`runnel store` killed with SIGKILL while clients write: every insert the
server acknowledged is there after a restart (the write-ahead log is synced
before the answer), and the store opens cleanly each time.

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
    def test_acknowledged_inserts_survive_kill_9(self):
        store = StoreProcess()
        try:
            cluster, session = connect(store)
            session.execute("CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': '1'}")
            session.execute("CREATE TABLE IF NOT EXISTS spark_streams.created_users "
                            "(id uuid PRIMARY KEY, first_name text, email text)")
            cluster.shutdown()
            acknowledged = []
            for round_number in range(KILLS):
                cluster, session = connect(store)
                insert = session.prepare("INSERT INTO spark_streams.created_users "
                                         "(id, first_name, email) VALUES (?, ?, ?)")
                stop = threading.Event()
                lock = threading.Lock()

                def write():
                    while not stop.is_set():
                        key = uuid.uuid4()
                        try:
                            session.execute(insert, (key, "round %d" % round_number,
                                                     "%s@example.com" % key), timeout=5)
                        except Exception:
                            return  # the server is gone
                        with lock:
                            acknowledged.append(key)

                writers = [threading.Thread(target=write) for _ in range(WRITERS)]
                for writer in writers:
                    writer.start()
                time.sleep(WRITE_SECONDS)
                store.kill()  # mid-write: the writers are still going
                stop.set()
                for writer in writers:
                    writer.join(10)
                cluster.shutdown()
                store.start()

                cluster, session = connect(store)
                stored = {row.id for row in session.execute(
                    SimpleStatement("SELECT id FROM spark_streams.created_users",
                                    fetch_size=1000))}
                missing = [key for key in acknowledged if key not in stored]
                cluster.shutdown()
                self.assertEqual(missing, [], "round %d: %d of %d acknowledged inserts lost"
                                 % (round_number, len(missing), len(acknowledged)))
            self.assertGreater(len(acknowledged), 20 * KILLS, "too few writes to prove anything")
        finally:
            code = store.stop()
            log = store.output()
            store.close()
            self.assertEqual(code, 0, log[-3000:])


if __name__ == "__main__":
    unittest.main()
