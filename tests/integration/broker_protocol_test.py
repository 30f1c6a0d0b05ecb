"""The Kafka wire protocol of `runnel broker`, spoken byte by byte.

Third-party clients prove compatibility (see the other broker tests); this
module checks what they cannot easily provoke: malformed, truncated,
oversized and unknown requests, pipelining, acks=0, idempotent-producer
sequence errors, limits and a full disk. Batches are built with
kafka-python's own record-batch builder, so their bytes are not ours.

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/broker_protocol_test.py
"""

import resource
import signal
import socket
import struct
import threading
import time
import unittest

from kafka.record.default_records import DefaultRecordBatchBuilder

from broker_process import HOST, BrokerProcess

SOCKET_TIMEOUT = 10

API_PRODUCE, API_FETCH, API_METADATA, API_API_VERSIONS, API_INIT_PRODUCER_ID = 0, 1, 3, 18, 22
NONE, CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, UNSUPPORTED_VERSION = 0, 2, 10, 35
OUT_OF_ORDER_SEQUENCE_NUMBER, KAFKA_STORAGE_ERROR = 45, 56


def string(s):
    if s is None:
        return struct.pack(">h", -1)
    data = s.encode()
    return struct.pack(">h", len(data)) + data


def bytes_field(b):
    return struct.pack(">i", len(b)) + b


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        value = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return value[0] if len(value) == 1 else value

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.data[self.pos:self.pos + n].decode()
        self.pos += n
        return s

    def bytes(self):
        n = self.take(">i")
        if n < 0:
            return None
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def uvarint(self):
        shift = value = 0
        while True:
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7


def batch(values, producer_id=-1, epoch=-1, base_sequence=-1):
    builder = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=False,
                                        producer_id=producer_id, producer_epoch=epoch,
                                        base_sequence=base_sequence, batch_size=1 << 20)
    now = int(time.time() * 1000)
    for i, value in enumerate(values):
        builder.append(i, timestamp=now, key=None, value=value, headers=[])
    return bytes(builder.build())


class Connection:
    """One TCP connection speaking request header v1."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port), timeout=SOCKET_TIMEOUT)
        self.correlation = 0

    def close(self):
        self.sock.close()

    def send(self, api_key, version, body, correlation=None, flexible=False):
        if correlation is None:
            self.correlation += 1
            correlation = self.correlation
        header = struct.pack(">hhi", api_key, version, correlation) + string("protocol-test")
        if flexible:
            header += b"\x00"  # request header v2: an empty tag section
        frame = header + body
        self.sock.sendall(struct.pack(">i", len(frame)) + frame)
        return correlation

    def receive(self):
        """(correlation id, body) of the next response; None when closed."""
        size = self._exactly(4)
        if size is None:
            return None
        frame = self._exactly(struct.unpack(">i", size)[0])
        return struct.unpack(">i", frame[:4])[0], frame[4:]

    def request(self, api_key, version, body):
        correlation = self.send(api_key, version, body)
        answer = self.receive()
        assert answer is not None, "the broker closed the connection"
        assert answer[0] == correlation, (answer[0], correlation)
        return Reader(answer[1])

    def closed_by_peer(self):
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def _exactly(self, n):
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            data += chunk
        return data


def produce_body(topic, partition, records, acks=-1):
    return (string(None) + struct.pack(">hi", acks, 5000) + struct.pack(">i", 1) + string(topic)
            + struct.pack(">i", 1) + struct.pack(">i", partition) + bytes_field(records))


def read_produce_v3(r):
    results = []
    for _ in range(r.take(">i")):
        r.string()
        for _ in range(r.take(">i")):
            index, error, base_offset, _append_time = r.take(">ihqq")
            results.append((error, base_offset))
    return results


def fetch_body(topic, partition, offset, max_wait_ms=0, min_bytes=1):
    return (struct.pack(">iiiib", -1, max_wait_ms, min_bytes, 1 << 20, 0) + struct.pack(">i", 1)
            + string(topic) + struct.pack(">i", 1) + struct.pack(">iqi", partition, offset, 1 << 20))


def read_fetch_v4(r):
    """[(error, high watermark, records bytes)] for every partition."""
    r.take(">i")  # throttle
    out = []
    for _ in range(r.take(">i")):
        r.string()
        for _ in range(r.take(">i")):
            _index, error, high_watermark, _lso = r.take(">ihqq")
            aborted = r.take(">i")
            for _ in range(max(aborted, 0)):
                r.take(">qq")
            out.append((error, high_watermark, r.bytes() or b""))
    return out


def metadata_body(*topics):
    return struct.pack(">i", len(topics)) + b"".join(string(t) for t in topics)


class BrokerProtocolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = BrokerProcess("--message-max-bytes", "4096")

    @classmethod
    def tearDownClass(cls):
        assert cls.broker.close() == 0

    def connect(self):
        connection = Connection(self.broker.port)
        self.addCleanup(connection.close)
        return connection

    def assert_broker_serves(self):
        r = self.connect().request(API_API_VERSIONS, 0, b"")
        self.assertEqual(r.take(">h"), NONE)
        self.assertTrue(self.broker.alive())

    def produce(self, topic, records, acks=-1, connection=None):
        r = (connection or self.connect()).request(API_PRODUCE, 3, produce_body(topic, 0, records, acks))
        return read_produce_v3(r)[0]

    def fetch(self, topic, offset=0, **kwargs):
        return read_fetch_v4(self.connect().request(API_FETCH, 4, fetch_body(topic, 0, offset, **kwargs)))[0]

    def test_api_versions_v0_lists_every_api(self):
        r = self.connect().request(API_API_VERSIONS, 0, b"")
        self.assertEqual(r.take(">h"), NONE)
        apis = {}
        for _ in range(r.take(">i")):
            key, low, high = r.take(">hhh")
            apis[key] = (low, high)
        for key in (0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 32):
            self.assertIn(key, apis)
        self.assertEqual(apis[API_API_VERSIONS], (0, 3))

    def test_api_versions_v3_is_flexible_with_a_v0_header(self):
        body = b"\x05kcat\x061.7.1\x00"  # compact strings and an empty tag section
        connection = self.connect()
        correlation = connection.send(API_API_VERSIONS, 3, body, flexible=True)
        got_correlation, response = connection.receive()
        self.assertEqual(got_correlation, correlation)
        r = Reader(response)  # no tag section after the correlation id
        self.assertEqual(r.take(">h"), NONE)
        count = r.uvarint() - 1
        self.assertGreaterEqual(count, 18)

    def test_unknown_api_versions_version_gets_unsupported_version_in_v0(self):
        r = self.connect().request(API_API_VERSIONS, 77, b"")
        self.assertEqual(r.take(">h"), UNSUPPORTED_VERSION)
        self.assertGreaterEqual(r.take(">i"), 18)

    def test_unknown_api_key_closes_the_connection_only(self):
        connection = self.connect()
        connection.send(999, 0, b"")
        self.assertTrue(connection.closed_by_peer())
        self.assert_broker_serves()

    def test_unsupported_version_of_another_api_closes_the_connection(self):
        connection = self.connect()
        connection.send(API_PRODUCE, 10, produce_body("t", 0, b""))
        self.assertTrue(connection.closed_by_peer())
        self.assert_broker_serves()

    def test_oversized_and_negative_frames_close_the_connection(self):
        for size in (100 * 1024 * 1024 + 1, -5):
            connection = self.connect()
            connection.sock.sendall(struct.pack(">i", size) + b"\0" * 16)
            self.assertTrue(connection.closed_by_peer(), size)
        self.assert_broker_serves()

    def test_truncated_frame_and_garbage_do_not_hurt_the_broker(self):
        connection = self.connect()
        connection.sock.sendall(struct.pack(">i", 100) + b"\0\3\0\1")  # promises 100, sends 4
        connection.close()
        garbage = self.connect()
        garbage.sock.sendall(struct.pack(">i", 12) + bytes(range(200, 212)))
        self.assertTrue(garbage.closed_by_peer())
        self.assert_broker_serves()

    def test_malformed_body_closes_the_connection(self):
        connection = self.connect()
        connection.send(API_METADATA, 1, struct.pack(">i", 1000))  # 1000 topics, none sent
        self.assertTrue(connection.closed_by_peer())
        self.assert_broker_serves()

    def test_pipelined_requests_are_answered_in_order(self):
        connection = self.connect()
        sent = [connection.send(API_METADATA, 1, metadata_body("pipelined")) for _ in range(8)]
        received = [connection.receive()[0] for _ in sent]
        self.assertEqual(received, sent)

    def test_produce_then_fetch(self):
        error, base = self.produce("plain", batch([b"a", b"b", b"c"]))
        self.assertEqual((error, base), (NONE, 0))
        error, base = self.produce("plain", batch([b"d"]))
        self.assertEqual((error, base), (NONE, 3))
        error, high_watermark, records = self.fetch("plain")
        self.assertEqual((error, high_watermark), (NONE, 4))
        for value in (b"a", b"b", b"c", b"d"):
            self.assertIn(value, records)

    def test_corrupt_batch_is_refused_and_nothing_is_appended(self):
        good = bytearray(batch([b"payload"]))
        good[-1] ^= 0xFF  # breaks the CRC-32C
        error, _ = self.produce("corrupt", bytes(good))
        self.assertEqual(error, CORRUPT_MESSAGE)
        self.assertEqual(self.fetch("corrupt")[1], 0)

    def test_batch_over_message_max_bytes_is_refused(self):
        error, _ = self.produce("large", batch([b"x" * 5000]))
        self.assertEqual(error, MESSAGE_TOO_LARGE)
        self.assertEqual(self.fetch("large")[1], 0)

    def test_acks_zero_gets_no_response(self):
        connection = self.connect()
        connection.send(API_PRODUCE, 3, produce_body("fire", 0, batch([b"x"]), acks=0))
        r = connection.request(API_API_VERSIONS, 0, b"")  # the next answer is this one's
        self.assertEqual(r.take(">h"), NONE)
        self.assertEqual(self.fetch("fire")[1], 1)

    def test_idempotent_producer_duplicates_and_gaps(self):
        r = self.connect().request(API_INIT_PRODUCER_ID, 0, string(None) + struct.pack(">i", 60000))
        r.take(">i")
        self.assertEqual(r.take(">h"), NONE)
        producer_id, epoch = r.take(">qh")
        self.assertGreaterEqual(producer_id, 0)
        first = batch([b"one", b"two"], producer_id, epoch, 0)
        self.assertEqual(self.produce("idempotent", first), (NONE, 0))
        # A retry of the same batch: the original offset, nothing appended.
        self.assertEqual(self.produce("idempotent", first), (NONE, 0))
        self.assertEqual(self.fetch("idempotent")[1], 2)
        # Sequence 5 after 0..1 is a gap.
        error, _ = self.produce("idempotent", batch([b"gap"], producer_id, epoch, 5))
        self.assertEqual(error, OUT_OF_ORDER_SEQUENCE_NUMBER)
        self.assertEqual(self.produce("idempotent", batch([b"three"], producer_id, epoch, 2)),
                         (NONE, 2))

    def test_fetch_long_polls_until_max_wait(self):
        self.produce("quiet", batch([b"x"]))
        started = time.monotonic()
        error, _, records = self.fetch("quiet", offset=1, max_wait_ms=600)
        self.assertEqual((error, records), (NONE, b""))
        self.assertGreaterEqual(time.monotonic() - started, 0.5)

    def test_fetch_wakes_up_when_records_arrive(self):
        self.produce("wake", batch([b"first"]))
        timer = threading.Timer(0.3, lambda: self.produce("wake", batch([b"second"])))
        timer.start()
        self.addCleanup(timer.cancel)
        started = time.monotonic()
        error, _, records = self.fetch("wake", offset=1, max_wait_ms=20000)
        self.assertEqual(error, NONE)
        self.assertIn(b"second", records)
        self.assertLess(time.monotonic() - started, 10)


class ConnectionLimitTest(unittest.TestCase):
    def test_connections_beyond_the_limit_are_closed(self):
        broker = BrokerProcess("--max-connections", "2")
        try:
            time.sleep(0.3)  # the start-up probe's connection is gone by then
            kept = [Connection(broker.port) for _ in range(2)]
            for c in kept:
                c.request(API_API_VERSIONS, 0, b"")
            refused = Connection(broker.port)
            self.assertTrue(refused.closed_by_peer())
            kept[0].close()
            time.sleep(0.2)
            again = Connection(broker.port)
            self.assertEqual(again.request(API_API_VERSIONS, 0, b"").take(">h"), NONE)
            for c in kept[1:] + [again, refused]:
                c.close()
        finally:
            self.assertEqual(broker.close(), 0)


class FullDiskTest(unittest.TestCase):
    """A file-size limit makes writes fail as a full disk does: produce gets
    KAFKA_STORAGE_ERROR, what was written stays readable, the broker lives."""

    def test_produce_fails_and_reads_go_on(self):
        limit = 3 * 1024 * 1024  # the segment's preallocated index files fit

        def limit_file_size():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        broker = BrokerProcess(preexec_fn=limit_file_size)
        try:
            connection = Connection(broker.port)
            payload = batch([b"x" * 3000] * 1)
            errors, acknowledged = [], 0
            for _ in range(2000):
                error, _ = read_produce_v3(connection.request(
                    API_PRODUCE, 3, produce_body("full", 0, payload)))[0]
                if error != NONE:
                    errors.append(error)
                    break
                acknowledged += 1
            self.assertEqual(errors, [KAFKA_STORAGE_ERROR])
            self.assertGreater(acknowledged, 0)
            fetched = read_fetch_v4(connection.request(API_FETCH, 4, fetch_body("full", 0, 0)))[0]
            self.assertEqual(fetched[0], NONE)
            self.assertEqual(fetched[1], acknowledged)
            self.assertTrue(broker.alive())
            connection.close()
        finally:
            self.assertEqual(broker.close(), 0)


if __name__ == "__main__":
    unittest.main()
