"""The Cassandra sink (src/sinks/cql) end to end against `runnel store`.

tests/sinks/cql/cassandra_sink_writer.cc opens a CassandraSink as a streaming
job does and writes numbered rows in batches, each batch with its end offset;
the DataStax Python driver then reads what landed. Checked: every row exactly
once with every type intact, open() returning the stored offset, a replayed
batch overwriting instead of doubling, and a store killed (SIGKILL) and
restarted mid-stream, and a writer killed and restarted, losing nothing
acknowledged. One run prints the sink's rough throughput for created users.

Run from tests/integration:
    RUNNEL_BINARY=../../build/runnel CASSANDRA_SINK_WRITER=../../build/tests/cassandra_sink_writer \\
        /usr/bin/python3 -m unittest -v cql_sink_test
"""

import datetime
import logging
import os
import subprocess
import sys
import threading
import time
import unittest
import uuid

from cassandra.cluster import Cluster
from cassandra.policies import RoundRobinPolicy

from broker_process import REPO
from store_process import StoreProcess

WRITER = os.environ.get("CASSANDRA_SINK_WRITER",
                        os.path.join(REPO, "build", "tests", "cassandra_sink_writer"))
TIMEOUT = 120
logging.getLogger("cassandra").setLevel(logging.ERROR)


def expected_row(i):
    """The all_types row the writer makes for offset i."""
    return {
        "id": uuid.UUID("00000000-0000-4000-8000-%012x" % i),
        "seq": i,
        "n": i % 1000 - 500,
        "score": i / 4.0,
        "active": i % 2 == 0,
        "name": "user-%d ünï" % i,
        "at": datetime.datetime(2023, 11, 14, 22, 13, 20) + datetime.timedelta(milliseconds=i),
        "note": None if i % 3 == 0 else "note %d" % i,
    }


class Writer:
    """A running cassandra_sink_writer; its stdout lines are collected."""

    def __init__(self, store, *args, keyspace, job="job"):
        self.process = subprocess.Popen(
            [WRITER, "--cassandra", "%s:%d" % (store.host, store.port), "--keyspace", keyspace,
             "--job", job, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.errors = []
        self.readers = [threading.Thread(target=self._read, args=(self.process.stdout, self.lines),
                                         daemon=True),
                        threading.Thread(target=self._read, args=(self.process.stderr, self.errors),
                                         daemon=True)]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.append(line.rstrip("\n"))

    @property
    def stderr(self):
        return "\n".join(self.errors[-40:])

    def acked(self):
        """The highest offset acknowledged so far, or 0."""
        acks = [int(line.split()[1]) for line in list(self.lines) if line.startswith("acked ")]
        return max(acks, default=0)

    def stored(self):
        return next(int(line.split()[1]) for line in self.lines if line.startswith("stored "))

    def wait(self):
        try:
            self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for reader in self.readers:
            reader.join(5)
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode


class CqlSinkTest(unittest.TestCase):
    def setUp(self):
        self.store = StoreProcess()
        self.cluster = Cluster([self.store.host], port=self.store.port,
                               load_balancing_policy=RoundRobinPolicy(), connect_timeout=5,
                               control_connection_timeout=5)
        self.session = None
        self.keyspace = "sink_%s" % uuid.uuid4().hex[:10]

    def tearDown(self):
        self.cluster.shutdown()
        self.store.close()

    def run_writer(self, *args, job="job"):
        writer = Writer(self.store, *args, keyspace=self.keyspace, job=job)
        code = writer.wait()
        self.assertEqual(code, 0, "writer failed:\n%s\nstore log:\n%s"
                         % (writer.stderr, self.store.output()[-3000:]))
        return writer

    def driver(self):
        if self.session is None:
            self.session = self.cluster.connect()
            self.session.default_timeout = 30
        return self.session

    def seqs(self):
        rows = self.driver().execute("SELECT seq FROM %s.created_users" % self.keyspace)
        return [row.seq for row in rows]

    def stored_offset(self, job="job"):
        row = self.driver().execute(
            "SELECT next_offset FROM %s.runnel_offsets WHERE job = %%s AND topic = %%s "
            "AND partition = 0" % self.keyspace, [job, "users_created"]).one()
        return None if row is None else row.next_offset

    def test_rows_land_once_with_every_type_as_the_python_driver_reads_them(self):
        writer = self.run_writer("--until-offset", "1000", "--rows-per-batch", "128")
        self.assertEqual(writer.stored(), -1)
        self.assertEqual(writer.acked(), 1000)
        rows = list(self.driver().execute("SELECT * FROM %s.created_users" % self.keyspace))
        self.assertEqual(len(rows), 1000)
        by_seq = {row.seq: row for row in rows}
        self.assertEqual(sorted(by_seq), list(range(1000)))
        for i in (0, 1, 2, 3, 500, 999):
            got = by_seq[i]._asdict()
            self.assertEqual(got, expected_row(i), "row %d" % i)
        self.assertEqual(self.stored_offset(), 1000)
        # The sink made the keyspace and table the classic way.
        self.cluster.refresh_schema_metadata()
        keyspace = self.cluster.metadata.keyspaces[self.keyspace]
        self.assertEqual(keyspace.replication_strategy.replication_factor, 1)
        table = keyspace.tables["created_users"]
        self.assertEqual([c.name for c in table.partition_key], ["id"])
        self.assertEqual({name: c.cql_type for name, c in table.columns.items()},
                         {"id": "uuid", "seq": "bigint", "n": "int", "score": "double",
                          "active": "boolean", "name": "text", "at": "timestamp",
                          "note": "text"})

    def test_open_returns_stored_offsets_and_a_replay_overwrites_instead_of_doubling(self):
        self.run_writer("--until-offset", "600", "--rows-per-batch", "100")
        # A restarted job resumes where the stored offset says: nothing to do.
        again = self.run_writer("--until-offset", "600")
        self.assertEqual(again.stored(), 600)
        self.assertEqual(again.acked(), 0)
        # A replay (a crash after the rows, before the offsets) rewrites the
        # same rows: still one each.
        replay = self.run_writer("--from-offset", "0", "--until-offset", "600",
                                 "--rows-per-batch", "250")
        self.assertEqual(replay.acked(), 600)
        self.assertEqual(sorted(self.seqs()), list(range(600)))
        more = self.run_writer("--until-offset", "900", "--rows-per-batch", "100")
        self.assertEqual(more.stored(), 600)
        self.assertEqual(sorted(self.seqs()), list(range(900)))
        # Offsets are per job.
        other = self.run_writer("--until-offset", "10", job="other")
        self.assertEqual(other.stored(), -1)
        self.assertEqual(self.stored_offset("other"), 10)
        self.assertEqual(self.stored_offset(), 900)

    def test_a_store_killed_mid_stream_loses_nothing_acknowledged(self):
        total = 30000
        writer = Writer(self.store, "--until-offset", str(total), "--rows-per-batch", "500",
                        "--give-up-seconds", "60", keyspace=self.keyspace)
        acked_before_kill = self.wait_for_acks(writer, 3000)
        self.store.kill()
        time.sleep(1.0)
        self.store.start()
        code = writer.wait()
        self.assertEqual(code, 0, "writer failed:\n%s\nstore log:\n%s"
                         % (writer.stderr, self.store.output()[-3000:]))
        self.assertEqual(writer.acked(), total)
        seqs = self.seqs()
        self.assertEqual(len(seqs), total)
        self.assertEqual(sorted(seqs), list(range(total)))
        self.assertGreaterEqual(acked_before_kill, 3000)
        # The kill met the writer mid-stream: it had to retry.
        self.assertLess(acked_before_kill, total)
        self.assertTrue(any("retrying" in line or "connecting again" in line
                            for line in writer.lines + writer.errors), writer.stderr)
        self.assertEqual(self.stored_offset(), total)

    def test_a_writer_killed_mid_stream_resumes_from_the_stored_offset(self):
        total = 20000
        writer = Writer(self.store, "--until-offset", str(total), "--rows-per-batch", "500",
                        keyspace=self.keyspace)
        acked = self.wait_for_acks(writer, 2000)
        writer.process.kill()
        writer.wait()
        resumed = self.run_writer("--until-offset", str(total), "--rows-per-batch", "500")
        # It resumes at or after what it acknowledged: the offsets were
        # written after the rows, and nothing acknowledged is read again.
        self.assertGreaterEqual(resumed.stored(), acked)
        self.assertLess(resumed.stored(), total)
        self.assertEqual(sorted(self.seqs()), list(range(total)))

    def test_the_classic_projects_own_table_with_text_dates_is_written_as_it_is(self):
        self.driver().execute("CREATE KEYSPACE %s WITH replication = {'class': "
                              "'SimpleStrategy', 'replication_factor': '1'}" % self.keyspace)
        self.driver().execute(
            "CREATE TABLE %s.created_users (id UUID PRIMARY KEY, first_name TEXT, "
            "last_name TEXT, gender TEXT, address TEXT, post_code TEXT, email TEXT, "
            "username TEXT, dob TEXT, registered_date TEXT, phone TEXT, picture TEXT)"
            % self.keyspace)
        self.run_writer("--schema", "created_user", "--until-offset", "50")
        row = self.driver().execute(
            "SELECT first_name, dob, registered_date FROM %s.created_users WHERE id = %%s"
            % self.keyspace, [uuid.UUID("00000000-0000-4000-8000-%012x" % 7)]).one()
        self.assertEqual((row.first_name, row.dob, row.registered_date),
                         ("First7", "1970-01-01T00:00:07.000000Z",
                          "2020-09-13T12:26:40.000007Z"))
        self.assertEqual(len(list(self.driver().execute(
            "SELECT id FROM %s.created_users" % self.keyspace))), 50)

    def test_throughput_of_created_users_into_the_store(self):
        rows = 100000
        writer = self.run_writer("--schema", "created_user", "--until-offset", str(rows),
                                 "--rows-per-batch", "10000")
        done = next(line for line in writer.lines if line.startswith("done "))
        seconds = float(done.split()[3])
        count = self.driver().execute(
            "SELECT COUNT(*) FROM %s.created_users" % self.keyspace).one()[0]
        self.assertEqual(count, rows)
        print("\ncassandra sink into runnel store: %d created users in %.2f s = %.0f rows/s"
              % (rows, seconds, rows / seconds), file=sys.stderr)

    def wait_for_acks(self, writer, at_least):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if writer.acked() >= at_least:
                return writer.acked()
            if writer.process.poll() is not None:
                self.fail("writer exited early: %s %s" % (writer.process.returncode,
                                                          writer.stderr))
            time.sleep(0.01)
        self.fail("writer acknowledged only %d rows" % writer.acked())


if __name__ == "__main__":
    unittest.main()
