"""`runnel store` against raw CQL frames: what a well-behaved driver never
sends. Each case says what the server answers; every case ends by checking
that the server still serves a connection opened before it.

Run from tests/integration:
    RUNNEL_BINARY=../../build/runnel /usr/bin/python3 -m unittest -v store_protocol_test
"""

import random
import socket
import struct
import unittest

from store_process import StoreProcess

MAX_FRAME_BYTES = 65536
OPTIONS, STARTUP, QUERY, PREPARE, ERROR, READY, SUPPORTED, RESULT = 5, 1, 7, 9, 0, 2, 6, 8
PROTOCOL_ERROR = 0x000A


def frame(opcode, body=b"", stream=0, version=4, flags=0):
    return struct.pack(">BBhBI", version, flags, stream, opcode, len(body)) + body


def string_map(pairs):
    out = struct.pack(">H", len(pairs))
    for key, value in pairs.items():
        out += struct.pack(">H", len(key)) + key.encode() + struct.pack(">H", len(value)) + value.encode()
    return out


def query_body(cql):
    text = cql.encode()
    return struct.pack(">I", len(text)) + text + struct.pack(">HB", 1, 0)


class Client:
    def __init__(self, store):
        self.sock = socket.create_connection((store.host, store.port), timeout=5)

    def send(self, data):
        self.sock.sendall(data)

    def receive_exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def receive(self):
        """(version, stream, opcode, body), or None once the server closed."""
        header = self.receive_exactly(9)
        if header is None:
            return None
        version, _, stream, opcode, length = struct.unpack(">BBhBI", header)
        body = self.receive_exactly(length)
        return version, stream, opcode, body

    def startup(self):
        self.send(frame(STARTUP, string_map({"CQL_VERSION": "3.0.0"})))
        reply = self.receive()
        assert reply is not None and reply[2] == READY, reply

    def closed(self):
        try:
            return self.sock.recv(1) == b""
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()


def error_of(reply):
    code, length = struct.unpack(">iH", reply[3][:6])
    return code, reply[3][6:6 + length].decode()


class ProtocolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = StoreProcess("--max-frame-bytes", str(MAX_FRAME_BYTES))

    @classmethod
    def tearDownClass(cls):
        code = cls.store.close()
        assert code == 0, "store exit code %s" % code

    def setUp(self):
        self.bystander = Client(self.store)
        self.bystander.startup()

    def tearDown(self):
        # The connection opened before the case is still served.
        self.bystander.send(frame(QUERY, query_body("SELECT key FROM system.local"), stream=77))
        reply = self.bystander.receive()
        self.assertIsNotNone(reply, "bystander lost; store log:\n" + self.store.output()[-3000:])
        self.assertEqual((reply[1], reply[2]), (77, RESULT), reply)
        self.bystander.close()
        self.assertTrue(self.store.alive(), self.store.output()[-3000:])

    def test_unsupported_versions_are_refused_with_the_supported_ones_named(self):
        for version in (5, 0x41, 0x42, 0x7f):
            client = Client(self.store)
            client.send(frame(OPTIONS, version=version, stream=3))
            reply = client.receive()
            self.assertEqual(reply[0], 0x84, "answered in v4 to version %#x" % version)
            self.assertEqual(reply[1], 3)
            code, message = error_of(reply)
            self.assertEqual(code, PROTOCOL_ERROR)
            self.assertIn("Invalid or unsupported protocol version (%d)" % version, message)
            self.assertIn("4/v4", message)
            self.assertTrue(client.closed())
            client.close()

    def test_a_v1_client_is_answered_in_its_8_byte_header(self):
        client = Client(self.store)
        client.send(struct.pack(">BBbBI", 1, 0, 9, OPTIONS, 0))
        header = client.receive_exactly(8)
        version, _, stream, opcode, length = struct.unpack(">BBbBI", header)
        self.assertEqual((version, stream, opcode), (0x81, 9, ERROR))
        self.assertIn(b"unsupported protocol version (1)", client.receive_exactly(length))
        self.assertTrue(client.closed())
        client.close()

    def test_a_version_change_mid_connection_closes_it(self):
        client = Client(self.store)
        client.startup()
        client.send(frame(OPTIONS, version=3, stream=4))
        reply = client.receive()
        self.assertEqual(error_of(reply)[0], PROTOCOL_ERROR)
        self.assertIn("Invalid message version", error_of(reply)[1])
        self.assertTrue(client.closed())
        client.close()

    def test_an_oversized_frame_is_refused_and_the_connection_closed(self):
        client = Client(self.store)
        client.startup()
        client.send(struct.pack(">BBhBI", 4, 0, 6, QUERY, MAX_FRAME_BYTES + 1))
        reply = client.receive()
        self.assertEqual(reply[1], 6)
        self.assertIn("too big", error_of(reply)[1])
        self.assertTrue(client.closed())
        client.close()
        # A negative length (2^31 and above) likewise.
        client = Client(self.store)
        client.send(struct.pack(">BBhBI", 4, 0, 1, OPTIONS, 0x80000000))
        self.assertIn("too big", error_of(client.receive())[1])
        client.close()

    def test_a_frame_of_exactly_the_limit_is_served(self):
        client = Client(self.store)
        client.startup()
        body = query_body("SELECT key FROM system.local")
        body += b" " * (MAX_FRAME_BYTES - len(body))  # bytes after the message are ignored
        client.send(frame(QUERY, body, stream=2))
        reply = client.receive()
        self.assertEqual(reply[2], RESULT, reply)
        client.close()

    def test_unknown_opcodes_and_response_opcodes_are_errors_on_their_stream(self):
        client = Client(self.store)
        client.startup()
        for stream, opcode in ((1, 0x04), (2, 0x11), (3, 0xff), (4, RESULT), (5, SUPPORTED)):
            client.send(frame(opcode, b"junk", stream=stream))
            reply = client.receive()
            self.assertEqual((reply[1], reply[2]), (stream, ERROR))
            self.assertEqual(error_of(reply)[0], PROTOCOL_ERROR)
        client.send(frame(OPTIONS, stream=6))
        self.assertEqual(client.receive()[2], SUPPORTED)
        client.close()

    def test_malformed_bodies_are_errors_and_the_connection_goes_on(self):
        client = Client(self.store)
        client.startup()
        bodies = [
            b"",                                    # no query at all
            struct.pack(">I", 1000) + b"SELECT",   # long string longer than the body
            struct.pack(">i", -5),                 # negative long string length
            query_body("SELECT 1")[:-1],           # flags missing
            struct.pack(">I", 4) + b"USE " + struct.pack(">HB", 0x99, 0),  # unknown consistency
            struct.pack(">I", 1) + b"x" + struct.pack(">HBH", 1, 1, 1) + struct.pack(">i", -3),
        ]
        for stream, body in enumerate(bodies, start=1):
            client.send(frame(QUERY, body, stream=stream))
            reply = client.receive()
            self.assertEqual((reply[1], reply[2]), (stream, ERROR), body)
            self.assertEqual(error_of(reply)[0], PROTOCOL_ERROR)
            self.assertIn("Malformed QUERY", error_of(reply)[1])
        client.send(frame(QUERY, query_body("SELECT key FROM system.local"), stream=20))
        self.assertEqual(client.receive()[2], RESULT)
        client.close()

    def test_statements_before_startup_are_refused(self):
        client = Client(self.store)
        client.send(frame(QUERY, query_body("SELECT key FROM system.local"), stream=1))
        reply = client.receive()
        self.assertEqual(error_of(reply)[0], PROTOCOL_ERROR)
        self.assertIn("expecting STARTUP", error_of(reply)[1])
        client.send(frame(STARTUP, string_map({})))  # no CQL_VERSION
        self.assertIn("CQL_VERSION", error_of(client.receive())[1])
        client.send(frame(STARTUP, string_map({"CQL_VERSION": "3.0.0", "COMPRESSION": "snappy"})))
        self.assertIn("snappy", error_of(client.receive())[1])
        client.startup()
        client.close()

    def test_a_truncated_frame_then_hang_up_leaves_the_server_serving(self):
        for cut in (3, 9, 20):
            client = Client(self.store)
            client.startup()
            whole = frame(QUERY, query_body("SELECT key FROM system.local"))
            client.send(whole[:cut])
            client.close()

    def test_a_stalled_half_frame_does_not_hold_up_other_connections(self):
        staller = Client(self.store)
        staller.startup()
        staller.send(frame(QUERY, query_body("SELECT key FROM system.local"))[:12])
        other = Client(self.store)
        other.startup()
        other.send(frame(QUERY, query_body("SELECT key FROM system.local"), stream=1))
        self.assertEqual(other.receive()[2], RESULT)
        other.close()
        staller.close()

    def test_garbage_is_refused_without_a_crash(self):
        rng = random.Random(5)
        for _ in range(40):
            client = Client(self.store)
            try:
                client.send(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))))
                # The server may have refused and closed already.
                client.sock.shutdown(socket.SHUT_WR)
                while client.receive() is not None:
                    pass
            except OSError:
                pass
            finally:
                client.close()

    def test_pipelined_requests_are_each_answered_on_their_stream(self):
        client = Client(self.store)
        client.startup()
        streams = list(range(1, 201))
        client.send(b"".join(frame(QUERY, query_body("SELECT key FROM system.local"), stream=s)
                             for s in streams))
        answered = []
        for _ in streams:
            reply = client.receive()
            self.assertEqual(reply[2], RESULT)
            answered.append(reply[1])
        self.assertEqual(sorted(answered), streams)
        client.close()


if __name__ == "__main__":
    unittest.main()
