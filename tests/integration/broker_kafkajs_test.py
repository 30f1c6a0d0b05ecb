"""KafkaJS, the pure-JavaScript Kafka client, against `runnel broker`.

The scenarios are node scripts in kafkajs/ that print one JSON result each;
this module runs them against a BrokerProcess and checks what came back.
KafkaJS is installed with `npm ci` from the committed package-lock.json into
RUNNEL_KAFKAJS_CACHE (CMake points it into the build directory) or a
directory under the system temp dir named after the lock file's hash.
KAFKAJS_LOG_LEVEL=debug shows every request in the scripts' stderr.

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/broker_kafkajs_test.py
"""

import collections
import json
import os
import shutil
import subprocess
import unittest

from npm_packages import node_modules
from broker_process import BrokerProcess

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kafkajs")
SCENARIO_SECONDS = 30


@unittest.skipUnless(shutil.which("node") and shutil.which("npm"),
                     "node and npm are needed to run KafkaJS")
class KafkaJsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node_path = node_modules(SCRIPTS, "kafkajs", "RUNNEL_KAFKAJS_CACHE")

    def setUp(self):
        self.broker = BrokerProcess("--group-initial-rebalance-delay-ms", "0")

    def tearDown(self):
        code = self.broker.close()
        self.assertEqual(code, 0, "broker exit code")

    def scenario(self, script, *args):
        env = dict(os.environ, NODE_PATH=self.node_path, KAFKAJS_NO_PARTITIONER_WARNING="1",
                   SCENARIO_DEADLINE_MS=str((SCENARIO_SECONDS - 2) * 1000))
        run = subprocess.run(["node", os.path.join(SCRIPTS, script), self.broker.bootstrap,
                              *map(str, args)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             timeout=SCENARIO_SECONDS)
        stdout, stderr = run.stdout.decode(), run.stderr.decode()
        lines = stdout.strip().splitlines()
        self.assertTrue(lines, "no result from %s; stderr:\n%s" % (script, stderr))
        result = json.loads(lines[-1])
        self.assertNotIn("error", result, "%s failed: %s\nstderr:\n%s\nbroker:\n%s"
                         % (script, result, stderr[-4000:], self.broker.output()[-4000:]))
        self.assertEqual(run.returncode, 0, stderr)
        return result

    def test_produce_then_group_consumes_every_message_exactly_once(self):
        count = 300
        result = self.scenario("produce_consume.js", "orders", count, "kafkajs-group")
        self.assertTrue(result["created"])
        self.assertEqual([p["errorCode"] for p in result["produced"]], [0] * len(result["produced"]))
        received = result["received"]
        self.assertEqual(len(received), count)
        self.assertEqual(sorted(m["value"] for m in received),
                         sorted("value-%d" % i for i in range(count)))
        by_partition = collections.defaultdict(list)
        for message in received:
            self.assertEqual(message["topic"], "orders")
            index = int(message["value"].split("-")[1])
            self.assertEqual(message["key"], "key-%d" % (index % 17))
            self.assertEqual(message["headers"], {"seq": str(index)})
            by_partition[message["partition"]].append(message)
        self.assertEqual(sorted(by_partition), [0, 1, 2])
        key_partition = {}
        for partition, messages in by_partition.items():
            offsets = [m["offset"] for m in messages]
            self.assertEqual(offsets, list(range(len(messages))), "partition %d" % partition)
            values = [int(m["value"].split("-")[1]) for m in messages]
            self.assertEqual(values, sorted(values), "partition %d order" % partition)
            for m in messages:
                self.assertEqual(key_partition.setdefault(m["key"], partition), partition,
                                 "one key, one partition")

    def test_admin_lists_describes_and_deletes_topics(self):
        topics = ["alpha", "beta", "gamma"]
        result = self.scenario("admin.js", *topics)
        self.assertTrue(result["created"])
        self.assertFalse(result["createdAgain"], "an existing topic is not created again")
        self.assertEqual([t for t in result["listed"] if t in topics], topics)
        described = {t["name"]: t["partitions"] for t in result["described"]}
        self.assertEqual(sorted(described), topics)
        for count, topic in enumerate(topics, start=1):
            partitions = described[topic]
            self.assertEqual([p["partitionId"] for p in partitions], list(range(count)))
            for p in partitions:
                self.assertEqual(p["errorCode"], 0)
                self.assertEqual(p["leader"], p["replicas"][0])
                self.assertEqual(p["isr"], p["replicas"])
        self.assertEqual(result["configs"], [
            {"name": "retention.ms", "value": "123456", "isDefault": False},
            {"name": "segment.bytes", "value": str(1 << 30), "isDefault": True}])
        self.assertEqual([t for t in result["listedAfterDelete"] if t in topics], [])

    def test_second_consumer_resumes_from_committed_offsets(self):
        first, second = 150, 60
        result = self.scenario("group_resume.js", "events", "kafkajs-resume", first, second)
        self.assertEqual(sorted(m["value"] for m in result["firstReceived"]),
                         sorted("value-%d" % i for i in range(first)))
        per_partition = collections.Counter(m["partition"] for m in result["firstReceived"])
        self.assertEqual(result["committed"],
                         [{"partition": p, "offset": per_partition[p]} for p in range(3)])
        self.assertEqual(sorted(m["value"] for m in result["secondReceived"]),
                         sorted("value-%d" % i for i in range(first, first + second)))


if __name__ == "__main__":
    unittest.main()
