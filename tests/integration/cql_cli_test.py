"""`runnel cql` (a small cqlsh) against `runnel store`.

Statements come from -e, a file (-f) and stdin; rows print as cqlsh prints
them; the first failing statement stops the run with one line on stderr
naming the driver's error class and exit code 1; usage errors exit 2. The
DataStax Python driver checks what the statements did.

Run from tests/integration:
    RUNNEL_BINARY=../../build/runnel /usr/bin/python3 -m unittest -v cql_cli_test
"""

import logging
import os
import subprocess
import tempfile
import unittest
import uuid

from cassandra.cluster import Cluster
from cassandra.policies import RoundRobinPolicy

from broker_process import BINARY, free_port
from store_process import StoreProcess

logging.getLogger("cassandra").setLevel(logging.ERROR)
TIMEOUT = 60


def runnel_cql(store, *args, stdin=None):
    """Runs `runnel cql` against the store; returns (exit code, stdout, stderr)."""
    done = subprocess.run([BINARY, "cql", "--host", "%s:%d" % (store.host, store.port), *args],
                          input=stdin, capture_output=True, text=True, timeout=TIMEOUT)
    return done.returncode, done.stdout, done.stderr


class CqlCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = StoreProcess()
        cls.cluster = Cluster([cls.store.host], port=cls.store.port,
                              load_balancing_policy=RoundRobinPolicy(), connect_timeout=5,
                              control_connection_timeout=5)
        cls.session = cls.cluster.connect()
        cls.session.default_timeout = 20

    @classmethod
    def tearDownClass(cls):
        cls.cluster.shutdown()
        code = cls.store.close()
        assert code == 0, "store exit code %s" % code

    def keyspace(self):
        """A fresh keyspace for one test."""
        name = "cli_%s" % uuid.uuid4().hex[:12]
        self.session.execute("CREATE KEYSPACE %s WITH replication = "
                             "{'class': 'SimpleStrategy', 'replication_factor': '1'}" % name)
        return name

    def assert_ok(self, result):
        code, out, err = result
        self.assertEqual(code, 0, "stdout:\n%s\nstderr:\n%s\nstore log:\n%s"
                         % (out, err, self.store.output()[-3000:]))
        self.assertEqual(err, "")
        return out

    def test_ddl_insert_and_select_print_a_cqlsh_table(self):
        out = self.assert_ok(runnel_cql(
            self.store, "-e",
            "CREATE KEYSPACE cli_table WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': '1'};"
            "CREATE TABLE cli_table.users (id int PRIMARY KEY, name text, ok boolean);"
            "INSERT INTO cli_table.users (id, name, ok) VALUES (1, 'Ann', true);"
            "INSERT INTO cli_table.users (id, name, ok) VALUES (22, 'Bo;b', false);"
            "INSERT INTO cli_table.users (id) VALUES (333);"
            "SELECT id, name, ok FROM cli_table.users WHERE id IN (1, 22, 333)"))
        # DDL and INSERT print nothing; the SELECT is cqlsh's table.
        self.assertEqual(out,
                         "\n"
                         " id  | name | ok\n"
                         "-----+------+-------\n"
                         "   1 |  Ann |  True\n"
                         "  22 | Bo;b | False\n"
                         " 333 | null |  null\n"
                         "\n"
                         "(3 rows)\n")
        rows = self.session.execute("SELECT id, name FROM cli_table.users")
        self.assertEqual(sorted((r.id, r.name) for r in rows),
                         [(1, "Ann"), (22, "Bo;b"), (333, None)])

    def test_a_file_with_comments_and_stdin_run_every_statement(self):
        keyspace = self.keyspace()
        script = ("-- the classic table, shortened; a ';' in a comment\n"
                  "CREATE TABLE %s.created_users (id uuid PRIMARY KEY, first_name text,\n"
                  "    last_name text); /* block; comment */\n"
                  "INSERT INTO %s.created_users (id, first_name, last_name)\n"
                  "    VALUES (6ab09bec-e68e-48d9-a5f8-97e6fb4c9b47, 'O''Neil', 'x');\n"
                  % (keyspace, keyspace))
        with tempfile.NamedTemporaryFile("w", suffix=".cql", delete=False) as f:
            f.write(script)
        try:
            self.assert_ok(runnel_cql(self.store, "-f", f.name))
        finally:
            os.unlink(f.name)
        out = self.assert_ok(runnel_cql(
            self.store, "-k", keyspace,
            stdin="SELECT first_name FROM created_users;\nSELECT COUNT(*) FROM created_users"))
        self.assertEqual(out,
                         "\n first_name\n------------\n     O'Neil\n\n(1 rows)\n"
                         "\n count\n-------\n     1\n\n(1 rows)\n")

    def test_every_page_of_a_large_result_is_printed(self):
        keyspace = self.keyspace()
        self.session.execute("CREATE TABLE %s.numbers (p int, c int, PRIMARY KEY (p, c))"
                             % keyspace)
        insert = self.session.prepare("INSERT INTO %s.numbers (p, c) VALUES (0, ?)" % keyspace)
        for c in range(250):
            self.session.execute(insert, [c])
        out = self.assert_ok(runnel_cql(self.store, "--page-size", "40", "-e",
                                        "SELECT c FROM %s.numbers WHERE p = 0" % keyspace))
        lines = out.splitlines()
        self.assertEqual(lines[-1], "(250 rows)")
        self.assertEqual([int(line) for line in lines[3:-2]], list(range(250)))

    def test_the_first_error_stops_the_run_with_the_error_name_and_exit_1(self):
        keyspace = self.keyspace()
        code, out, err = runnel_cql(
            self.store, "-e",
            "CREATE TABLE %s.t (k int PRIMARY KEY);\n"
            "INSERT INTO %s.t (k) VALUES (1);\n"
            "SELECT * FROM %s.no_such_table;\n"
            "INSERT INTO %s.t (k) VALUES (2)" % ((keyspace,) * 4))
        self.assertEqual(code, 1, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("runnel: InvalidRequest: Error from server: code=2200 "
                                       "[Invalid query] message="), err)
        self.assertIn("(statement on line 3)", err)
        # What came before the error ran; what came after did not.
        self.assertEqual([r.k for r in self.session.execute("SELECT k FROM %s.t" % keyspace)],
                         [1])

        code, _, err = runnel_cql(self.store, "-e", "SELEKT * FROM system.local")
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("runnel: SyntaxException: Error from server: code=2000"),
                        err)
        code, _, err = runnel_cql(self.store, "-e", "CREATE KEYSPACE %s WITH replication = "
                                  "{'class': 'SimpleStrategy', 'replication_factor': '1'}"
                                  % keyspace)
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("runnel: AlreadyExists: "), err)

    def test_usage_errors_exit_2_and_run_nothing(self):
        keyspace = self.keyspace()
        create = "CREATE TABLE %s.t (k int PRIMARY KEY)" % keyspace
        for args, stdin in (
                (("-e", create + "; SELECT 'unterminated"), None),
                (("-e", create, "-f", "/dev/null"), None),
                (("-f", "/nonexistent/file.cql"), None),
                (("--consistency", "SOME", "-e", create), None),
        ):
            code, _, err = runnel_cql(self.store, *args, stdin=stdin)
            self.assertEqual(code, 2, "%s: %s" % (args, err))
            self.assertEqual(len(err.splitlines()), 1, err)
        self.cluster.refresh_schema_metadata()
        self.assertNotIn("t", self.cluster.metadata.keyspaces[keyspace].tables)

    def test_an_unreachable_endpoint_is_one_clear_line_and_exit_1(self):
        port = free_port()
        done = subprocess.run([BINARY, "cql", "--host", "127.0.0.1:%d" % port, "-e",
                               "SELECT * FROM system.local"],
                              capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stderr,
                         "runnel: cql: cannot connect to 127.0.0.1:%d: Connection refused\n" % port)


class CqlCliAuthTest(unittest.TestCase):
    def test_password_authenticator_credentials(self):
        store = StoreProcess("--cql-user", "runnel", "--cql-password", "s3cret")
        try:
            code, _, err = runnel_cql(store, "-e", "SELECT release_version FROM system.local")
            self.assertEqual(code, 1, err)
            self.assertIn("requires credentials", err)
            code, _, err = runnel_cql(store, "-u", "runnel", "-p", "wrong", "-e",
                                      "SELECT release_version FROM system.local")
            self.assertEqual(code, 1, err)
            self.assertIn("AuthenticationFailed", err)
            code, out, err = runnel_cql(store, "-u", "runnel", "-p", "s3cret", "-e",
                                        "SELECT key FROM system.local")
            self.assertEqual(code, 0, err)
            self.assertEqual(out, "\n key\n-------\n local\n\n(1 rows)\n")
        finally:
            store.close()


class StoreCacheTest(unittest.TestCase):
    """`runnel store --cache-mb`: the block cache's size; 0 turns it off."""

    def test_a_store_without_a_block_cache_serves_reads(self):
        store = StoreProcess("--cache-mb", "0")
        try:
            code, out, err = runnel_cql(store, stdin=(
                "CREATE KEYSPACE nocache WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': '1'};\n"
                "CREATE TABLE nocache.t (id int PRIMARY KEY, v text);\n"
                "INSERT INTO nocache.t (id, v) VALUES (1, 'one');\n"
                "SELECT v FROM nocache.t WHERE id = 1;\n"))
            self.assertEqual(code, 0, err)
            self.assertIn(" one\n", out)
        finally:
            self.assertEqual(store.close(), 0)

    def test_a_cache_size_that_is_no_number_of_megabytes_is_a_usage_error(self):
        for bad in ("-1", "lots"):
            done = subprocess.run([BINARY, "store", "--cache-mb", bad], capture_output=True,
                                  text=True, timeout=TIMEOUT)
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn("--cache-mb", done.stderr)


if __name__ == "__main__":
    unittest.main()
