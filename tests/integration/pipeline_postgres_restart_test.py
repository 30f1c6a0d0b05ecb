"""End-to-end: PostgreSQL restarts under the running streaming job while
users arrive. The job (`runnel stream`, continuous) must reconnect rather
than exit, and in the end hold every user of users_created exactly once.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v pipeline_postgres_restart_test
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import os
import signal
import time
import unittest

from broker_process import BrokerProcess
from pipeline_support import (TOPIC, StoredUsers, end_offsets, produced_of, read_topic,
                              require_binary, run, start, stop_process, stored_of,
                              temporary_data_dir, wait_until)
from postgres_process import PostgresProcess

DATABASE = "restarts"


class PostgresRestartTest(unittest.TestCase):

    def setUp(self):
        require_binary()
        self.postgres = PostgresProcess()
        self.addCleanup(self.postgres.close)
        self.postgres.create_database(DATABASE)
        self.stored = StoredUsers(self.postgres, DATABASE)
        self.data_dir = temporary_data_dir(self)
        self.broker = BrokerProcess()
        self.addCleanup(self.broker.close)

    def output_of(self, name):
        with open(os.path.join(self.data_dir, name), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def test_job_reconnects_through_restarts_and_stores_every_user_once(self):
        # The topic exists, with users, before the job starts.
        first = run(["ingest", "--kafka", self.broker.bootstrap, "--users", "2000", "--seed", "a"])
        self.assertEqual(first.returncode, 0, first.stderr)
        job_log = open(os.path.join(self.data_dir, "stream.log"), "wb")
        ingest_log = open(os.path.join(self.data_dir, "ingest.log"), "wb")
        self.addCleanup(job_log.close)
        self.addCleanup(ingest_log.close)
        job = start(["--data-dir", self.data_dir, "stream", "--kafka", self.broker.bootstrap,
                     "--postgres", self.postgres.url(DATABASE)], job_log)
        ingest = None
        try:
            wait_until(lambda: self.stored.count()[0] > 0, 30, "the job to store users")
            ingest = start(["ingest", "--kafka", self.broker.bootstrap, "--rate", "2000",
                            "--for", "6s", "--seed", "b"], ingest_log)
            time.sleep(1.5)
            self.postgres.restart()
            time.sleep(1.0)
            self.postgres.stop()
            time.sleep(2.0)
            self.postgres.start()
            self.assertEqual(ingest.wait(60), 0, self.output_of("ingest.log"))
            self.assertEqual(produced_of(self.output_of("ingest.log"))[2], 0)
            total = len(read_topic(self.broker.bootstrap, TOPIC))
            wait_until(lambda: self.stored.count()[0] >= total or job.poll() is not None, 60,
                       "the job to store all %d users" % total)
            self.assertIsNone(job.poll(), "the job exited:\n" + self.output_of("stream.log"))
        finally:
            if ingest is not None and ingest.poll() is None:
                ingest.kill()
                ingest.wait()
            code = stop_process(job, signal.SIGTERM)
        output = self.output_of("stream.log")
        self.assertEqual(code, 0, output)
        # Both restarts cut the job's session while it worked.
        self.assertGreaterEqual(output.count("server closed the connection"), 2, output)
        self.assertGreater(stored_of(output)[1], 0)

        records = read_topic(self.broker.bootstrap, TOPIC)
        keys = {record.key.decode() for record in records}
        self.assertEqual(len(keys), len(records), "the topic holds a key twice")
        self.assertEqual(self.stored.count(), (len(records), len(records)))
        self.assertEqual(set(self.stored.ids()), keys)
        ends = end_offsets(self.broker.bootstrap, TOPIC)
        self.assertEqual(self.stored.stored_offsets(),
                         {(TOPIC, partition): end for partition, end in ends.items()})
        self.assertEqual(self.stored.overwrites()[1], 0, "a stored user was written again")


if __name__ == "__main__":
    unittest.main()
