"""kcat (librdkafka) against `runnel broker`, unchanged.

Produces and consumes with every compression codec, keys, headers and
explicit partitions; reads metadata; consumes in a group whose offsets are
committed; starts from logical, relative, absolute and out-of-range offsets.
Topics are auto-created with 4 partitions (--default-partitions 4), so kcat
never creates anything itself.

Run from tests/integration:
    /usr/bin/python3 -m unittest -v broker_kcat_test
"""

import json
import shutil
import subprocess
import unittest

from broker_process import BrokerProcess
from broker_protocol_test import API_FETCH, Connection, fetch_body, read_fetch_v4

KCAT = shutil.which("kcat") or "/usr/bin/kcat"
KCAT_SECONDS = 20
PARTITIONS = 4
# librdkafka's codec ids, as in the attributes of a record batch.
CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}


def first_batch(port, topic, partition):
    """The first record batch stored in a partition, read with a raw Fetch:
    what the broker keeps is what the client sent."""
    connection = Connection(port)
    try:
        r = connection.request(API_FETCH, 4, fetch_body(topic, partition, 0))
        [(error, _high_watermark, records)] = read_fetch_v4(r)
    finally:
        connection.close()
    assert error == 0, error
    return records


def codec_of(batch):
    """The compression codec bits of a record batch's attributes, which
    follow its offset, length, leader epoch, magic and CRC."""
    return int.from_bytes(batch[21:23], "big") & 0x7


GROUP_SETTINGS = ["-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500",
                  "-X", "auto.offset.reset=earliest"]


@unittest.skipUnless(shutil.which(KCAT), "kcat is not installed")
class BrokerKcatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = BrokerProcess("--default-partitions", str(PARTITIONS))

    @classmethod
    def tearDownClass(cls):
        assert cls.broker.close() == 0

    def kcat(self, *args, stdin=None, check=True):
        result = subprocess.run([KCAT, "-b", self.broker.bootstrap, *args], input=stdin,
                                capture_output=True, text=True, timeout=KCAT_SECONDS)
        if check:
            self.assertEqual(result.returncode, 0,
                             "kcat %s failed:\n%s" % (" ".join(args), result.stderr))
        return result

    def produce(self, topic, lines, *args):
        self.kcat("-P", "-t", topic, *args, stdin="".join(line + "\n" for line in lines))

    def consume_json(self, *args):
        """Every message kcat prints until the end of the partitions (-e)."""
        out = self.kcat("-C", "-e", "-J", *args).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def test_every_codec_with_keys_headers_and_explicit_partitions(self):
        for codec, codec_id in CODECS.items():
            with self.subTest(codec=codec):
                topic = "kcat-codec-" + codec
                # Compressible values: librdkafka sends a batch uncompressed when
                # compression does not make it smaller.
                values = ["%s-value-%d-%s" % (codec, i, "abc" * 100) for i in range(5)]
                for partition in (1, 3):
                    self.produce(topic, ["key%d:%s" % (i, v) for i, v in enumerate(values)],
                                 "-p", str(partition), "-K:", "-z", codec,
                                 "-H", "origin=kcat", "-H", "codec=" + codec,
                                 "-X", "linger.ms=50")
                for partition in range(PARTITIONS):
                    messages = self.consume_json("-t", topic, "-p", str(partition))
                    if partition not in (1, 3):
                        self.assertEqual(messages, [])
                        continue
                    self.assertEqual([m["payload"] for m in messages], values)
                    self.assertEqual([m["key"] for m in messages],
                                     ["key%d" % i for i in range(5)])
                    self.assertEqual([m["offset"] for m in messages], list(range(5)))
                    self.assertTrue(all(m["partition"] == partition for m in messages))
                    self.assertTrue(all(m["headers"] == ["origin", "kcat", "codec", codec]
                                        for m in messages), messages[0]["headers"])
                    # librdkafka < 2.10 compresses only when ApiVersions lists Produce v0.
                    self.assertEqual(codec_of(first_batch(self.broker.port, topic, partition)),
                                     codec_id)

    def test_metadata_lists_the_broker_and_topics(self):
        self.produce("kcat-metadata", ["m"], "-p", "2")
        metadata = json.loads(self.kcat("-L", "-J").stdout)
        self.assertEqual(metadata["brokers"], [{"id": 0, "name": self.broker.bootstrap}])
        self.assertEqual(metadata["controllerid"], 0)
        topics = {t["topic"]: t for t in metadata["topics"]}
        self.assertIn("kcat-metadata", topics)
        partitions = topics["kcat-metadata"]["partitions"]
        self.assertEqual(sorted(p["partition"] for p in partitions), list(range(PARTITIONS)))
        for p in partitions:
            self.assertEqual(p["leader"], 0)
            self.assertEqual(p["replicas"], [{"id": 0}])
            self.assertEqual(p["isrs"], [{"id": 0}])
        self.assertNotIn("error", topics["kcat-metadata"])

    def test_group_commits_offsets_between_runs(self):
        topic, group = "kcat-group", "kcat-group-1"
        first = ["p%d-first-%d" % (p, i) for p in range(PARTITIONS) for i in range(3)]
        for p in range(PARTITIONS):
            self.produce(topic, first[p * 3:p * 3 + 3], "-p", str(p))

        def group_run():
            return self.consume_json("-G", group, *GROUP_SETTINGS, topic)

        run = group_run()
        self.assertEqual(sorted(m["payload"] for m in run), sorted(first))
        self.assertEqual(len(run), len(first))
        self.assertEqual(group_run(), [])

        second = ["p%d-second" % p for p in range(PARTITIONS)]
        for p in range(PARTITIONS):
            self.produce(topic, [second[p]], "-p", str(p))
        run = group_run()
        self.assertEqual(sorted(m["payload"] for m in run), sorted(second))
        self.assertEqual(sorted((m["partition"], m["offset"]) for m in run),
                         [(p, 3) for p in range(PARTITIONS)])

    def test_start_offsets(self):
        topic = "kcat-offsets"
        values = ["v%d" % i for i in range(6)]
        self.produce(topic, values, "-p", "0")

        def payloads(offset, *extra):
            return [m["payload"]
                    for m in self.consume_json("-t", topic, "-p", "0", "-o", offset, *extra)]

        self.assertEqual(payloads("beginning"), values)
        self.assertEqual(payloads("end"), [])
        self.assertEqual(payloads("4"), ["v4", "v5"])
        self.assertEqual(payloads("0"), values)
        self.assertEqual(payloads("-2"), ["v4", "v5"])  # two before the end
        self.assertEqual(payloads("6"), [])

    def test_offset_past_the_end(self):
        topic = "kcat-past-end"
        self.produce(topic, ["a", "b", "c"], "-p", "0")
        args = ["-C", "-e", "-t", topic, "-p", "0", "-o", "100", "-f", "%o:%s\\n"]
        # The default reset policy (latest) lands on the end: nothing to read.
        latest = self.kcat(*args)
        self.assertEqual(latest.stdout, "")
        self.assertIn("Offset out of range", latest.stderr)
        self.assertIn("at offset 3", latest.stderr)
        earliest = self.kcat(*args, "-X", "auto.offset.reset=earliest")
        self.assertEqual(earliest.stdout, "0:a\n1:b\n2:c\n")
        # With no reset policy, the broker's error reaches the user.
        error = self.kcat(*args, "-X", "auto.offset.reset=error", check=False)
        self.assertNotEqual(error.returncode, 0)
        self.assertEqual(error.stdout, "")
        self.assertIn("Broker: Offset out of range", error.stderr)


if __name__ == "__main__":
    unittest.main()
