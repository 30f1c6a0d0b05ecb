"""The DataStax Python driver (python3-cassandra 3.25) against `runnel store`.

The driver is what the classic pipeline's Spark job and most Python tools use
to reach Cassandra. It opens with protocol v5 (DSE v2 before that) and
downgrades on the server's protocol error; it reads system.local,
system.peers and system_schema.* for its metadata; it pages with fetch_size
and prepares statements. Every test here goes through the real driver.

Run from tests/integration:
    RUNNEL_BINARY=../../build/runnel /usr/bin/python3 -m unittest -v store_python_driver_test
"""

import datetime
import decimal
import ipaddress
import logging
import time
import unittest
import uuid

from cassandra import AlreadyExists, AuthenticationFailed, InvalidRequest
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile, NoHostAvailable
from cassandra.policies import RoundRobinPolicy
from cassandra.protocol import SyntaxException
from cassandra.query import BatchStatement, SimpleStatement
from cassandra.util import Date, Time

from store_process import StoreProcess

CLASSIC_KEYSPACE = ("CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': '1'}")
CLASSIC_TABLE = ("CREATE TABLE IF NOT EXISTS spark_streams.created_users (id UUID PRIMARY KEY, "
                 "first_name TEXT, last_name TEXT, gender TEXT, address TEXT, post_code TEXT, "
                 "email TEXT, username TEXT, dob TEXT, registered_date TEXT, phone TEXT, "
                 "picture TEXT)")
CLASSIC_COLUMNS = ["id", "first_name", "last_name", "gender", "address", "post_code", "email",
                   "username", "dob", "registered_date", "phone", "picture"]

# The driver logs the protocol downgrade as a warning; it is expected here.
logging.getLogger("cassandra").setLevel(logging.ERROR)


def new_cluster(store, **kwargs):
    profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), request_timeout=20)
    return Cluster([store.host], port=store.port,
                   execution_profiles={EXEC_PROFILE_DEFAULT: profile},
                   connect_timeout=5, control_connection_timeout=5, **kwargs)


def connect(store, **kwargs):
    cluster = new_cluster(store, **kwargs)
    return cluster, cluster.connect()


class PythonDriverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = StoreProcess()
        cls.cluster, cls.session = connect(cls.store)
        cls.session.execute(CLASSIC_KEYSPACE)
        cls.session.execute(CLASSIC_TABLE)

    @classmethod
    def tearDownClass(cls):
        cls.cluster.shutdown()
        code = cls.store.close()
        assert code == 0, "store exit code %s" % code

    def fail_with_log(self, message):
        self.fail("%s\nstore log:\n%s" % (message, self.store.output()[-4000:]))

    def test_driver_downgrades_to_v4_and_reads_system_local(self):
        self.assertEqual(self.cluster.protocol_version, 4)
        row = self.session.execute("SELECT release_version, cluster_name FROM system.local").one()
        self.assertTrue(row.release_version.startswith(("3.", "4.")), row.release_version)
        self.assertTrue(self.cluster.metadata.cluster_name)
        hosts = self.cluster.metadata.all_hosts()
        self.assertEqual(len(hosts), 1)
        self.assertTrue(hosts[0].is_up)
        # python3-lz4 is installed, so the driver agreed on lz4 frames (the
        # attribute is the driver's own record of it).
        self.assertEqual(self.cluster.control_connection._connection._compression_type, "lz4")

    def test_protocol_v3_is_served_too(self):
        # Uncompressed frames, too.
        cluster, session = connect(self.store, protocol_version=3, compression=False)
        try:
            session.execute("CREATE TABLE IF NOT EXISTS spark_streams.v3_rows "
                            "(id uuid PRIMARY KEY, name text, tags set<text>)")
            insert = session.prepare("INSERT INTO spark_streams.v3_rows (id, name, tags) "
                                     "VALUES (?, ?, ?)")
            key = uuid.uuid4()
            session.execute(insert, (key, "v3", {"a", "b"}))
            row = session.execute("SELECT name, tags FROM spark_streams.v3_rows WHERE id = %s",
                                  [key]).one()
            self.assertEqual((row.name, set(row.tags)), ("v3", {"a", "b"}))
            self.assertEqual(cluster.protocol_version, 3)
        finally:
            cluster.shutdown()

    def test_metadata_describes_the_classic_table(self):
        # IF NOT EXISTS twice is no error.
        self.session.execute(CLASSIC_KEYSPACE)
        self.session.execute(CLASSIC_TABLE)
        self.cluster.refresh_schema_metadata()
        keyspace = self.cluster.metadata.keyspaces["spark_streams"]
        self.assertEqual(keyspace.replication_strategy.replication_factor, 1)
        table = keyspace.tables["created_users"]
        self.assertEqual(sorted(table.columns), sorted(CLASSIC_COLUMNS))
        self.assertEqual([c.name for c in table.partition_key], ["id"])
        self.assertEqual(table.columns["id"].cql_type, "uuid")
        self.assertEqual(table.columns["email"].cql_type, "text")
        self.assertIn("CREATE TABLE spark_streams.created_users", table.export_as_string())

    def test_prepared_inserts_then_a_paged_select_returns_every_row(self):
        self.session.execute("CREATE TABLE IF NOT EXISTS spark_streams.paged "
                             "(id uuid PRIMARY KEY, n int, name text)")
        insert = self.session.prepare("INSERT INTO spark_streams.paged (id, n, name) "
                                      "VALUES (?, ?, ?)")
        self.assertEqual(insert.routing_key_indexes, [0])
        written = {}
        for n in range(230):
            key = uuid.uuid4()
            written[key] = n
            self.session.execute(insert, (key, n, "user-%d" % n))
        statement = SimpleStatement("SELECT id, n, name FROM spark_streams.paged", fetch_size=50)
        result = self.session.execute(statement)
        self.assertEqual(len(result.current_rows), 50)
        self.assertTrue(result.has_more_pages)
        read = {row.id: row.n for row in result}
        self.assertEqual(read, written)
        # A prepared SELECT pages too, without result metadata in each page.
        select = self.session.prepare("SELECT n FROM spark_streams.paged")
        select.fetch_size = 100
        self.assertEqual(sorted(row.n for row in self.session.execute(select)), list(range(230)))

    def test_classic_insert_and_lookup_by_key(self):
        insert = self.session.prepare(
            "INSERT INTO spark_streams.created_users (%s) VALUES (%s)"
            % (", ".join(CLASSIC_COLUMNS), ", ".join("?" * len(CLASSIC_COLUMNS))))
        key = uuid.uuid4()
        values = [key] + ["%s-value" % c for c in CLASSIC_COLUMNS[1:]]
        self.session.execute(insert, values)
        row = self.session.execute(
            "SELECT * FROM spark_streams.created_users WHERE id = %s", [key]).one()
        self.assertIsNotNone(row)
        for column, value in zip(CLASSIC_COLUMNS, values):
            self.assertEqual(getattr(row, column), value, column)

    def test_every_type_round_trips(self):
        self.session.execute(
            "CREATE TABLE IF NOT EXISTS spark_streams.all_types (k int PRIMARY KEY, "
            "t text, vc varchar, a ascii, i int, bi bigint, si smallint, ti tinyint, b boolean, "
            "f float, d double, dec decimal, vi varint, u uuid, tu timeuuid, ts timestamp, "
            "dt date, tm time, bl blob, ip inet, l list<text>, s set<int>, m map<text, int>)")
        columns = ["t", "vc", "a", "i", "bi", "si", "ti", "b", "f", "d", "dec", "vi", "u", "tu",
                   "ts", "dt", "tm", "bl", "ip", "l", "s", "m"]
        values = ["héllo ✓", "varchar", "ascii", -2147483648, 9223372036854775807, -32768, 127,
                  True, 1.5, -2.25e300, decimal.Decimal("-12345.678900"),
                  123456789012345678901234567890, uuid.UUID("6ab09bec-e68e-48d9-a5f8-97e6fb4c9b47"),
                  uuid.UUID("e4f3b5a0-7b0c-11ee-b962-0242ac120002"),
                  datetime.datetime(2024, 1, 31, 12, 30, 45, 123000), Date(datetime.date(1969, 7, 20)),
                  Time(datetime.time(23, 59, 59, 999999)), b"\x00\xffbytes",
                  "2001:db8::1", ["a", "b", "a"], {3, 1, 2}, {"x": 1, "y": -1}]
        insert = self.session.prepare("INSERT INTO spark_streams.all_types (k, %s) VALUES (?, %s)"
                                      % (", ".join(columns), ", ".join("?" * len(columns))))
        self.session.execute(insert, [1] + values)
        # The same values as CQL literals: the driver formats them into the text.
        self.session.execute("INSERT INTO spark_streams.all_types (k, %s) VALUES (%%s, %s)"
                             % (", ".join(columns), ", ".join(["%s"] * len(columns))),
                             [2] + values)
        # And nulls: every column but the key.
        self.session.execute(insert, [3] + [None] * len(columns))
        for k in (1, 2):
            row = self.session.execute("SELECT * FROM spark_streams.all_types WHERE k = %s",
                                       [k]).one()
            self.assertIsNotNone(row, "row %d" % k)
            expected = dict(zip(columns, values))
            expected["ip"] = "2001:db8::1"
            expected["l"] = ["a", "b", "a"]
            expected["s"] = {1, 2, 3}
            got = {c: getattr(row, c) for c in columns}
            got["ip"] = str(ipaddress.ip_address(got["ip"]))
            got["s"] = set(got["s"])
            got["m"] = dict(got["m"])
            got["l"] = list(got["l"])
            for column in columns:
                self.assertEqual(got[column], expected[column], "row %d column %s" % (k, column))
        row = self.session.execute("SELECT * FROM spark_streams.all_types WHERE k = 3").one()
        for column in columns:
            self.assertIn(getattr(row, column), (None, [], set(), {}), column)

    def test_batch_statement_writes_every_statement(self):
        self.session.execute("CREATE TABLE IF NOT EXISTS spark_streams.batched "
                             "(id int PRIMARY KEY, name text)")
        insert = self.session.prepare("INSERT INTO spark_streams.batched (id, name) VALUES (?, ?)")
        batch = BatchStatement()
        for i in range(20):
            batch.add(insert, (i, "n%d" % i))
        batch.add(SimpleStatement("INSERT INTO spark_streams.batched (id, name) VALUES (%s, %s)"),
                  (100, "simple"))
        self.session.execute(batch)
        rows = {r.id: r.name for r in self.session.execute("SELECT * FROM spark_streams.batched")}
        self.assertEqual(len(rows), 21)
        self.assertEqual(rows[100], "simple")

    def test_errors_arrive_as_the_drivers_exception_classes(self):
        with self.assertRaises(AlreadyExists) as created_twice:
            self.session.execute("CREATE KEYSPACE spark_streams WITH replication = "
                                 "{'class': 'SimpleStrategy', 'replication_factor': '1'}")
        self.assertEqual(created_twice.exception.keyspace, "spark_streams")
        with self.assertRaises(AlreadyExists) as table_twice:
            self.session.execute(CLASSIC_TABLE.replace(" IF NOT EXISTS", ""))
        self.assertEqual(table_twice.exception.table, "created_users")
        with self.assertRaises(InvalidRequest):
            self.session.execute("SELECT * FROM spark_streams.no_such_table")
        with self.assertRaises(SyntaxException):
            self.session.execute("SELEKT * FROM spark_streams.created_users")
        # The session still works.
        self.session.execute("SELECT * FROM spark_streams.created_users LIMIT 1")

    def test_use_keyspace_applies_to_every_connection_of_the_session(self):
        cluster, session = connect(self.store)
        try:
            session.set_keyspace("spark_streams")
            session.execute("CREATE TABLE IF NOT EXISTS unqualified (id int PRIMARY KEY)")
            insert = session.prepare("INSERT INTO unqualified (id) VALUES (?)")
            for i in range(50):
                session.execute_async(insert, (i,))
            # execute_async above is pipelined; a synchronous read after
            # them all waits for each.
            futures = [session.execute_async(insert, (i,)) for i in range(50, 100)]
            for future in futures:
                future.result()
            time.sleep(0.2)
            count = len(list(session.execute("SELECT id FROM unqualified")))
            self.assertEqual(count, 100)
        finally:
            cluster.shutdown()

    def test_schema_changes_reach_other_clients_as_events(self):
        watcher, _ = connect(self.store)
        try:
            self.session.execute("CREATE TABLE IF NOT EXISTS spark_streams.announced "
                                 "(id int PRIMARY KEY)")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                keyspace = watcher.metadata.keyspaces.get("spark_streams")
                if keyspace is not None and "announced" in keyspace.tables:
                    break
                time.sleep(0.05)
            else:
                self.fail_with_log("the watcher's metadata never learned of the new table")
            self.session.execute("DROP TABLE spark_streams.announced")
            deadline = time.monotonic() + 10
            while "announced" in watcher.metadata.keyspaces["spark_streams"].tables:
                if time.monotonic() > deadline:
                    self.fail_with_log("the watcher's metadata never learned of the drop")
                time.sleep(0.05)
        finally:
            watcher.shutdown()


class PythonDriverAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = StoreProcess("--cql-user", "spark", "--cql-password", "s3cret")

    @classmethod
    def tearDownClass(cls):
        code = cls.store.close()
        assert code == 0, "store exit code %s" % code

    def test_right_credentials_connect(self):
        cluster, session = connect(
            self.store, auth_provider=PlainTextAuthProvider("spark", "s3cret"))
        try:
            self.assertEqual(session.execute("SELECT key FROM system.local").one().key, "local")
        finally:
            cluster.shutdown()

    def test_wrong_password_is_refused(self):
        cluster = new_cluster(self.store, auth_provider=PlainTextAuthProvider("spark", "wrong"))
        try:
            with self.assertRaises(NoHostAvailable) as refused:
                cluster.connect()
            errors = list(refused.exception.errors.values())
            self.assertTrue(any(isinstance(e, AuthenticationFailed) for e in errors), errors)
        finally:
            cluster.shutdown()

    def test_no_credentials_is_refused(self):
        cluster = new_cluster(self.store)
        try:
            with self.assertRaises(NoHostAvailable):
                cluster.connect()
        finally:
            cluster.shutdown()


if __name__ == "__main__":
    unittest.main()
