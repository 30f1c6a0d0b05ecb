"""End-to-end: the streaming job (`runnel stream`) into PostgreSQL is exactly
once although it is killed with SIGKILL at random moments and restarted,
with the topic complete beforehand and while new users still arrive. Every
user in users_created ends up in the table once: as many rows as distinct
ids as the topic's keys, the job's stored offsets at the topic's end, and no
stored row ever overwritten (the table's statistics count no update).

Run from tests/integration:
    /usr/bin/python3 -m unittest -v pipeline_exactly_once_test
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import os
import random
import time
import unittest

from broker_process import BrokerProcess
from pipeline_support import (TOPIC, PipelineTestCase, end_offsets, produced_of, read_topic,
                              run, start, stored_of, wait_until)

USERS = 40000
KILLS = 4
# The group drops a killed run after its session timeout (6 s), then
# assigns the partitions to the next, which stores a batch within a second.
STORE_SECONDS = 30


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


class ExactlyOnceTest(PipelineTestCase):
    def setUp(self):
        super().setUp()
        self.broker = BrokerProcess()
        self.addCleanup(self.broker.close)

    def stream_args(self, *extra):
        return ["--data-dir", self.data_dir, "stream", "--kafka", self.broker.bootstrap,
                "--postgres", self.postgres.url(self.database), "--threads", "2", *extra]

    def kill_repeatedly(self, rng, seconds, at_kill=lambda: None):
        """Starts the continuous job and kills it KILLS times, each a random
        time in `seconds` after the run stored its first batch (a restart
        first waits for the group to drop the killed run), calling `at_kill`
        just before each kill; returns the stored counts seen at each kill.
        Every test's topic ends with USERS users."""
        counts = []
        for run_number in range(KILLS):
            log_path = os.path.join(self.data_dir, "stream-%d.log" % run_number)
            with open(log_path, "wb") as log:
                before = self.stored.count()[0]
                job = start(self.stream_args(), log)
                try:
                    wait_until(lambda: self.stored.count()[0] > before or before >= USERS
                               or job.poll() is not None, STORE_SECONDS,
                               "run %d to store a batch" % run_number)
                    time.sleep(rng.uniform(*seconds))
                    self.assertIsNone(job.poll(), "the job ended:\n" + read_text(log_path))
                    counts.append(self.stored.count()[0])
                    at_kill()
                finally:
                    job.kill()
                    job.wait(30)
        return counts

    def finish_and_check(self):
        """Runs the job until caught up and checks that the table holds every
        user of the topic exactly once."""
        result = run(self.stream_args("--until-caught-up"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(stored_of(result.stderr)[3], 0)  # no dead letters
        records = read_topic(self.broker.bootstrap, TOPIC)
        keys = {record.key.decode() for record in records}
        self.assertEqual(len(keys), len(records), "the topic holds a key twice")
        rows, distinct = self.stored.count()
        self.assertEqual((rows, distinct), (len(records), len(records)))
        self.assertEqual(set(self.stored.ids()), keys)
        ends = end_offsets(self.broker.bootstrap, TOPIC)
        self.assertEqual(self.stored.stored_offsets(),
                         {(TOPIC, partition): end for partition, end in ends.items()})
        inserted, updated = self.stored.overwrites()
        self.assertEqual(updated, 0, "a stored user was written again")
        self.assertGreaterEqual(inserted, len(records))
        return len(records)

    def test_killed_job_restarted_stores_every_user_once(self):
        ingest = run(["ingest", "--kafka", self.broker.bootstrap, "--users", str(USERS),
                      "--seed", "killed"])
        self.assertEqual(ingest.returncode, 0, ingest.stderr)
        self.assertEqual(produced_of(ingest.stderr), (USERS, TOPIC, 0))
        # The job may take in the whole topic within a second, so a kill can
        # meet it mid-topic or already idle; either way a restart must
        # neither lose nor repeat a user. Kills that surely meet a working
        # job are the next test's, where users keep arriving.
        counts = self.kill_repeatedly(random.Random(4), (0.0, 0.1))
        self.assertEqual(len(counts), KILLS)
        self.assertEqual(self.finish_and_check(), USERS)

    def test_killed_job_while_users_arrive_stores_every_user_once(self):
        ingest = run(["ingest", "--kafka", self.broker.bootstrap, "--users", str(USERS // 2),
                      "--seed", "before"])
        self.assertEqual(ingest.returncode, 0, ingest.stderr)
        with open(os.path.join(self.data_dir, "ingest.log"), "wb") as ingest_log:
            arriving = start(["ingest", "--kafka", self.broker.bootstrap, "--rate", "800",
                              "--users", str(USERS // 2), "--seed", "during"], ingest_log)
            kills_while_arriving = []
            try:
                counts = self.kill_repeatedly(
                    random.Random(5), (0.3, 1.5),
                    lambda: kills_while_arriving.append(arriving.poll() is None))
                # What arrives after the last kill, the last run takes in.
                code = arriving.wait(60)
            finally:
                if arriving.poll() is None:
                    arriving.kill()
                    arriving.wait()
        with open(ingest_log.name, "rb") as f:
            ingest_output = f.read().decode("utf-8", "replace")
        self.assertEqual(code, 0, ingest_output)
        self.assertEqual(produced_of(ingest_output), (USERS // 2, TOPIC, 0))
        self.assertGreater(max(counts), 0, counts)
        self.assertGreaterEqual(kills_while_arriving.count(True), 2,
                                "the job was not killed while users arrived")
        self.assertEqual(self.finish_and_check(), USERS)


if __name__ == "__main__":
    unittest.main()
