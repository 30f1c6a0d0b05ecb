"""The DataStax Node.js driver (npm cassandra-driver 4.x) against `runnel store`.

The scenarios are in cassandra_driver/scenario.js; each run prints one JSON
line that this module checks. The driver is installed with `npm ci` from the
committed package-lock.json into RUNNEL_CASSANDRA_DRIVER_CACHE (CMake points
it into the build directory) or a directory under the system temp dir named
after the lock file's hash.

Run from tests/integration:
    RUNNEL_BINARY=../../build/runnel /usr/bin/python3 -m unittest -v store_nodejs_driver_test
"""

import json
import os
import shutil
import subprocess
import unittest

from npm_packages import node_modules
from store_process import StoreProcess

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cassandra_driver")
SCENARIO_SECONDS = 30


@unittest.skipUnless(shutil.which("node") and shutil.which("npm"),
                     "node and npm are needed to run the Node.js driver")
class NodeDriverTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node_path = node_modules(SCRIPTS, "cassandra-driver", "RUNNEL_CASSANDRA_DRIVER_CACHE")
        cls.store = StoreProcess()

    @classmethod
    def tearDownClass(cls):
        code = cls.store.close()
        assert code == 0, "store exit code %s" % code

    def scenario(self, name, *args, store=None, expect_error=False):
        store = store or self.store
        env = dict(os.environ, NODE_PATH=self.node_path,
                   SCENARIO_DEADLINE_MS=str((SCENARIO_SECONDS - 2) * 1000))
        run = subprocess.run(
            ["node", os.path.join(SCRIPTS, "scenario.js"), "%s:%d" % (store.host, store.port),
             name, *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=SCENARIO_SECONDS)
        stdout, stderr = run.stdout.decode(), run.stderr.decode()
        lines = stdout.strip().splitlines()
        self.assertTrue(lines, "no result from %s; stderr:\n%s" % (name, stderr))
        result = json.loads(lines[-1])
        self.assertNotIn("error", result, "%s failed: %s\nstderr:\n%s\nstore:\n%s"
                         % (name, result.get("error"), stderr[-4000:], store.output()[-4000:]))
        self.assertEqual(run.returncode, 0, stderr)
        return result

    def test_connects_on_v4_and_reads_the_classic_tables_metadata(self):
        result = self.scenario("connect")
        self.assertEqual(result["protocolVersion"], 4)
        self.assertEqual(result["hosts"], 1)
        self.assertEqual(result["dataCenter"], "datacenter1")
        self.assertEqual(result["columns"], sorted([
            "id", "first_name", "last_name", "gender", "address", "post_code", "email",
            "username", "dob", "registered_date", "phone", "picture"]))
        self.assertEqual(result["partitionKey"], ["id"])
        self.assertEqual(result["idType"], 0x000C)  # uuid

    def test_concurrent_prepared_inserts_then_paging_reads_each_row_once(self):
        result = self.scenario("prepared_paging")
        self.assertEqual(result["count"], 175)
        self.assertEqual(result["distinct"], 175)
        self.assertEqual((result["first"], result["last"]), (0, 174))
        self.assertGreaterEqual(result["pages"], 5)

    def test_every_type_round_trips(self):
        result = self.scenario("types")
        self.assertEqual(result["mismatches"], [])

    def test_batches_of_prepared_and_literal_statements(self):
        self.assertEqual(self.scenario("batch")["rows"], 16)

    def test_named_values_and_unset_values(self):
        result = self.scenario("named_and_unset")
        self.assertEqual(result["afterUnset"], ["first a", "second b"])
        self.assertEqual(result["afterNull"], [None, "third b"])

    def test_errors_carry_their_codes(self):
        result = self.scenario("errors")
        codes = result["codes"]
        self.assertEqual(codes["alreadyExists"]["code"], 0x2400)
        self.assertEqual(codes["alreadyExists"]["keyspace"], "spark_streams")
        self.assertEqual(codes["invalid"]["code"], 0x2200)
        self.assertEqual(codes["syntax"]["code"], 0x2000)
        self.assertTrue(result["stillServing"])

    def test_password_authenticator(self):
        store = StoreProcess("--cql-user", "spark", "--cql-password", "s3cret")
        try:
            self.assertEqual(self.scenario("auth", "spark", "s3cret", store=store),
                             {"connected": True, "key": "local"})
            refused = self.scenario("auth", "spark", "wrong", store=store)
            self.assertFalse(refused["connected"])
            self.assertIn("AuthenticationError", refused["innerErrors"])
        finally:
            self.assertEqual(store.close(), 0)


if __name__ == "__main__":
    unittest.main()
