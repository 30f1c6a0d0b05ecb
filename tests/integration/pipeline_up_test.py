"""End-to-end: `runnel up` (embedded broker, ingestion and the streaming job
in one process) into PostgreSQL, stopped with Ctrl-C (SIGINT). Every user the
ingestion reports as produced (acknowledged by the broker) is in the table,
and a second run on the same data directory goes on where the first stopped:
no user lost, none stored twice.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v pipeline_up_test
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import os
import signal
import time
import unittest

from broker_process import BrokerProcess
from pipeline_support import (JOB, TABLE, TOPIC, StoredUsers, produced_of, read_topic,
                              require_binary, start, stop_process, stored_of,
                              temporary_data_dir, wait_until)
from postgres_process import PostgresProcess

DATABASE = "up"
RUN_SECONDS = 4


class UpTest(unittest.TestCase):

    def setUp(self):
        require_binary()
        self.postgres = PostgresProcess()
        self.addCleanup(self.postgres.close)
        self.postgres.create_database(DATABASE)
        self.stored = StoredUsers(self.postgres, DATABASE)
        self.data_dir = temporary_data_dir(self)

    def up_until_interrupted(self, run_number, rate):
        """`runnel up --rate rate` for RUN_SECONDS once users are stored, then
        SIGINT; returns (users produced, users stored) from its closing
        lines."""
        log_path = os.path.join(self.data_dir, "up-%d.log" % run_number)
        with open(log_path, "wb") as log:
            up = start(["--data-dir", self.data_dir, "up", "--broker-listen", "127.0.0.1:0",
                        "--store-listen", "127.0.0.1:0", "--postgres", self.postgres.url(DATABASE), "--rate", str(rate)], log)
            try:
                before = self.stored.count()[0]
                wait_until(lambda: self.stored.count()[0] > before or up.poll() is not None, 30,
                           "runnel up to store users")
                time.sleep(RUN_SECONDS)
                self.assertIsNone(up.poll(), "runnel up exited by itself")
            finally:
                code = stop_process(up, signal.SIGINT)
        with open(log_path, "rb") as f:
            output = f.read().decode("utf-8", "replace")
        self.assertEqual(code, 0, output)
        produced, topic, failed = produced_of(output)
        self.assertEqual((topic, failed), (TOPIC, 0))
        self.assertNotIn("unacknowledged", output)
        job, stored, where, dead_letters = stored_of(output)
        self.assertEqual((job, dead_letters), (JOB, 0))
        self.assertIn("PostgreSQL table " + TABLE, where)
        return produced, stored

    def test_interrupted_up_keeps_every_acknowledged_user_and_a_second_run_goes_on(self):
        first_produced, first_stored = self.up_until_interrupted(1, 1000)
        self.assertGreater(first_produced, 0)
        self.assertEqual(self.stored.count(), (first_produced, first_produced))
        self.assertEqual(first_stored, first_produced)

        # Faster: at Ctrl-C the job is behind by what arrived during its last
        # batch, which it must still read and store.
        second_produced, second_stored = self.up_until_interrupted(2, 20000)
        self.assertGreater(second_produced, 0)
        total = first_produced + second_produced
        self.assertEqual(self.stored.count(), (total, total))
        self.assertEqual(second_stored, second_produced)

        broker = BrokerProcess(data_dir=self.data_dir)  # serves <data_dir>/broker, as up's
        try:
            records = read_topic(broker.bootstrap, TOPIC)
        finally:
            code, output = broker.stop(), broker.output()
            broker.close()
            self.assertEqual(code, 0, output)
        keys = {record.key.decode() for record in records}
        self.assertEqual(len(records), total)
        self.assertEqual(set(self.stored.ids()), keys)
        self.assertEqual(self.stored.overwrites()[1], 0, "a stored user was written again")


if __name__ == "__main__":
    unittest.main()
