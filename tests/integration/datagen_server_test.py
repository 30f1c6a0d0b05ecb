"""Integration tests for `runnel datagen serve` and the datagen CLI.

The real binary runs as a separate process on 127.0.0.1 and is spoken to
over HTTP and raw sockets, as a randomuser.me client would.

Run from the repository root:
    /usr/bin/python3 -m unittest -v tests/integration/datagen_server_test.py
RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import csv
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ElementTree

try:
    import yaml
except ImportError:  # python3-yaml is optional
    yaml = None

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("RUNNEL_BINARY", os.path.join(REPO, "build", "runnel"))
HOST = "127.0.0.1"

USER_FIELDS = {"gender", "name", "location", "email", "login", "dob", "registered",
               "phone", "cell", "id", "picture", "nat"}

STARTUP_SECONDS = 10
SHUTDOWN_SECONDS = 5
HTTP_TIMEOUT_SECONDS = 15
CLI_TIMEOUT_SECONDS = 30


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`runnel datagen serve` on a free loopback port; stderr goes to a file."""

    def __init__(self, *extra_args):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [BINARY, "datagen", "serve", "--listen", "%s:%d" % (HOST, self.port), *extra_args],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_accepting()
        except Exception:
            self.kill()
            raise

    def _wait_until_accepting(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited with %d before accepting connections: %s"
                                   % (self.process.returncode, self.output()))
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not accept connections on port %d within %d s"
                           % (self.port, STARTUP_SECONDS))

    def output(self):
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def is_running(self):
        return self.process.poll() is None

    def terminate(self):
        """SIGTERM; answers the exit code, or None when it did not exit in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=SHUTDOWN_SECONDS)
        self.log.close()


def http_get(port, target, headers=None):
    """GET target; answers (status, headers as a lower-cased dict, body bytes)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=HTTP_TIMEOUT_SECONDS)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def recv_until_closed(sock, seconds):
    """Everything the peer sends until it closes, bounded by `seconds`."""
    deadline = time.monotonic() + seconds
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("peer kept the connection open for %.1f s" % seconds)
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def recv_response(sock, seconds):
    """One HTTP response (by Content-Length), or what came before the peer closed."""
    deadline = time.monotonic() + seconds
    data = b""
    while True:
        head, separator, body = data.partition(b"\r\n\r\n")
        if separator:
            length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
            if length and len(body) >= int(length.group(1)):
                return data
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("no complete response within %.1f s" % seconds)
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def run_cli(*args, timeout=CLI_TIMEOUT_SECONDS):
    return subprocess.run([BINARY, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=timeout)


class DatagenServerTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        if not os.access(BINARY, os.X_OK):
            raise RuntimeError("runnel binary not found at %s (build it, or set RUNNEL_BINARY)"
                               % BINARY)
        cls.server = ServerProcess()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        if cls.server is None:
            return
        output = cls.server.output()
        running = cls.server.is_running()
        code = cls.server.terminate()
        cls.server.kill()
        if not running:
            raise AssertionError("server died during the tests; its output:\n" + output)
        if code != 0:
            raise AssertionError("server exit after SIGTERM: %r (expected 0 within %d s); "
                                 "its output:\n%s" % (code, SHUTDOWN_SECONDS, output))

    # Helpers -------------------------------------------------------------

    def get(self, target, port=None):
        return http_get(port or self.port, target)

    def get_json(self, target, expected_status=200):
        status, headers, body = self.get(target)
        self.assertEqual(status, expected_status, "%s -> %d %r" % (target, status, body[:300]))
        self.assertTrue(headers.get("content-type", "").startswith("application/json"),
                        "%s content type %r" % (target, headers.get("content-type")))
        return json.loads(body)

    def assert_json_error(self, status, headers, body, expected_status, what):
        self.assertEqual(status, expected_status, "%s -> %d %r" % (what, status, body[:300]))
        self.assertEqual(headers.get("content-type"), "application/json; charset=utf-8", what)
        document = json.loads(body)
        self.assertIsInstance(document, dict, what)
        self.assertIsInstance(document.get("error"), str, what)
        self.assertTrue(document["error"], what)

    def assert_still_serving(self):
        self.assertTrue(self.server.is_running(), "server process exited")
        document = self.get_json("/api/?results=2&seed=alive")
        self.assertEqual(len(document["results"]), 2)

    # 1. The JSON API ------------------------------------------------------

    def test_json_results_nat_fields_info_and_determinism(self):
        target = "/api/?results=3&nat=fr,gb&seed=abc"
        status, headers, body = self.get(target)
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-type"), "application/json; charset=utf-8")
        document = json.loads(body)
        self.assertEqual(len(document["results"]), 3)
        for user in document["results"]:
            self.assertIn(user["nat"], ("FR", "GB"))
            self.assertEqual(set(user), USER_FIELDS)
        self.assertEqual(document["info"],
                         {"seed": "abc", "results": 3, "page": 1, "version": "1.4"})

        self.assertEqual(self.get(target)[2], body, "same request, different body")
        status, _, versioned = self.get("/api/1.4/?results=3&nat=fr,gb&seed=abc")
        self.assertEqual(status, 200)
        self.assertEqual(versioned, body, "/api/1.4/ differs from /api/")

        status, _, page_two = self.get(target + "&page=2")
        self.assertEqual(status, 200)
        self.assertNotEqual(page_two, body, "page 2 equals page 1")
        self.assertEqual(json.loads(page_two)["info"]["page"], 2)

    # 2. Server and CLI agree ----------------------------------------------

    def test_server_matches_cli_for_same_seed(self):
        seed = "integration-seed"
        served = self.get_json("/api/?results=5&nat=us&seed=" + seed)
        result = run_cli("datagen", "--seed", seed, "--count", "5", "--format", "json",
                         "--nat", "us")
        self.assertEqual(result.returncode, 0, result.stderr.decode())
        printed = json.loads(result.stdout)
        self.assertEqual(printed["info"]["results"], 5)
        self.assertEqual(len(printed["results"]), 5)
        self.assertEqual(served["results"], printed["results"])

    # 3. Formats -----------------------------------------------------------

    def test_csv_format(self):
        status, headers, body = self.get("/api/?results=4&seed=fmt&format=csv")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-type"), "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        rows = [row for row in rows if row]
        self.assertIn("name.first", rows[0])
        self.assertEqual(len(rows) - 1, 4)
        for row in rows[1:]:
            self.assertEqual(len(row), len(rows[0]))

    def test_xml_format(self):
        status, headers, body = self.get("/api/?results=3&seed=fmt&format=xml")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-type"), "text/xml; charset=utf-8")
        root = ElementTree.fromstring(body)
        self.assertEqual(root.tag, "user")
        results = root.findall("results")
        self.assertEqual(len(results), 3)
        for user in results:
            self.assertTrue(user.findtext("name/first"))

    def test_pretty_format(self):
        status, headers, body = self.get("/api/?results=2&seed=fmt&format=pretty")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-type"), "application/json; charset=utf-8")
        text = body.decode("utf-8")
        self.assertGreater(text.count("\n"), 10)
        self.assertRegex(text, r"\n[ \t]+\"")
        document = json.loads(text)
        self.assertEqual(len(document["results"]), 2)
        compact = self.get_json("/api/?results=2&seed=fmt")
        self.assertEqual(document, compact, "pretty and compact JSON hold different data")

    def test_yaml_format(self):
        status, headers, body = self.get("/api/?results=2&seed=fmt&format=yaml")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-type"), "text/x-yaml; charset=utf-8")
        if yaml is None:
            self.skipTest("python3-yaml not installed; content type checked only")
        document = yaml.safe_load(body)
        self.assertEqual(len(document["results"]), 2)
        compact = self.get_json("/api/?results=2&seed=fmt")
        self.assertEqual([u["email"] for u in document["results"]],
                         [u["email"] for u in compact["results"]])

    # 4. randomuser's lenient rules ------------------------------------------

    def test_out_of_range_results_give_one_user(self):
        for value in ("0", "-5", "abc", "5001", "99999999999999999999"):
            with self.subTest(results=value):
                document = self.get_json("/api/?results=" + value)
                self.assertEqual(len(document["results"]), 1)
                self.assertEqual(document["info"]["results"], 1)

    def test_unknown_parameters_are_ignored(self):
        plain = self.get_json("/api/?results=2&seed=unk")
        extra = self.get_json("/api/?results=2&seed=unk&bogus=1&another=x&results_x=9")
        self.assertEqual(extra, plain)

    def test_inc_keeps_only_listed_fields(self):
        document = self.get_json("/api/?results=3&inc=name,nat")
        for user in document["results"]:
            self.assertEqual(set(user), {"name", "nat"})

    def test_exc_removes_field(self):
        document = self.get_json("/api/?results=3&exc=login")
        for user in document["results"]:
            self.assertEqual(set(user), USER_FIELDS - {"login"})

    def test_noinfo_drops_info(self):
        document = self.get_json("/api/?results=2&noinfo")
        self.assertNotIn("info", document)
        self.assertEqual(len(document["results"]), 2)

    def test_dl_sets_attachment(self):
        status, headers, body = self.get("/api/?results=1&dl")
        self.assertEqual(status, 200)
        disposition = headers.get("content-disposition", "")
        self.assertTrue(disposition.startswith("attachment"), disposition)
        self.assertIn("filename=download.json", disposition)
        json.loads(body)

    def test_callback_wraps_json(self):
        status, _, body = self.get("/api/?results=2&seed=cb&callback=cb")
        self.assertEqual(status, 200)
        text = body.decode("utf-8").strip()
        self.assertTrue(text.startswith("cb(") and text.endswith(");"), text[:80])
        wrapped = json.loads(text[len("cb("):-len(");")])
        self.assertEqual(wrapped, self.get_json("/api/?results=2&seed=cb"))

    def test_callback_with_illegal_characters_is_rejected(self):
        for name in ("alert(1)", "a;b", "x<script>"):
            with self.subTest(callback=name):
                status, headers, body = self.get(
                    "/api/?results=1&callback=" + urllib.parse.quote(name, safe=""))
                self.assert_json_error(status, headers, body, 400, "callback " + name)

    def test_gender_female_without_seed(self):
        document = self.get_json("/api/?results=50&gender=female")
        self.assertEqual(len(document["results"]), 50)
        self.assertEqual({user["gender"] for user in document["results"]}, {"female"})

    def test_password_charsets_and_length(self):
        document = self.get_json("/api/?results=50&password=upper,lower,8-10")
        passwords = [user["login"]["password"] for user in document["results"]]
        self.assertEqual(len(passwords), 50)
        for password in passwords:
            self.assertRegex(password, r"^[A-Za-z]{8,10}$")

    # 5. Errors --------------------------------------------------------------

    def test_unknown_api_version_is_404_json(self):
        status, headers, body = self.get("/api/0.1/")
        self.assert_json_error(status, headers, body, 404, "/api/0.1/")

    def test_unknown_path_is_404_json(self):
        status, headers, body = self.get("/nope")
        self.assert_json_error(status, headers, body, 404, "/nope")

    # 6. Robustness ------------------------------------------------------------

    def test_garbage_query_string(self):
        status, headers, body = self.get("/api/?%%%&&==&results=%zz&nat=%00")
        self.assertIn(status, (200, 400), body[:300])
        document = json.loads(body)
        if status == 200:
            self.assertEqual(len(document["results"]), 1)
        else:
            self.assertIsInstance(document.get("error"), str)
        self.assert_still_serving()

    def test_very_long_url(self):
        target = "/api/?results=1&x=" + "a" * (20000 - len("/api/?results=1&x="))
        self.assertEqual(len(target), 20000)
        try:
            status, _, _ = self.get(target)
        except (ConnectionError, http.client.RemoteDisconnected) as error:
            self.fail("server dropped a 20000-character URL without a response: %r" % error)
        self.assertGreaterEqual(status, 400)
        self.assertLess(status, 500)
        self.assert_still_serving()

    def test_partial_request_line_then_close(self):
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(b"GET /api/?resu")
            time.sleep(1)
        self.assert_still_serving()

    def test_half_closed_client_gets_response(self):
        # TCP_CORK holds the request until shutdown(), which then sends it in
        # one segment with the FIN: the server sees the whole request and the
        # end of input together, so the outcome does not depend on timing.
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
            sock.sendall(b"GET /api/?results=100&seed=half HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            sock.shutdown(socket.SHUT_WR)
            response = recv_until_closed(sock, 10)
        head, _, body = response.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 "),
                        "no 200 for a complete request after the client shut down its write "
                        "side; got %r" % head[:100])
        self.assertEqual(len(json.loads(body)["results"]), 100)
        self.assert_still_serving()

    def test_binary_garbage_instead_of_http(self):
        garbage = (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) * 4
                   + b"\xff\xfe\x00\x00\r\n\r\n")
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            sock.sendall(garbage)
            try:
                response = recv_response(sock, 8)
            except ConnectionResetError:
                response = b""
        if response:
            self.assertRegex(response[:20], rb"^HTTP/1\.[01] 400 ")
            json.loads(response.partition(b"\r\n\r\n")[2])
        self.assert_still_serving()

    def test_64_concurrent_clients(self):
        clients = 64
        outcomes = [None] * clients

        def fetch(index):
            try:
                status, _, body = http_get(self.port, "/api/?results=500&seed=c%d" % index)
                outcomes[index] = (status, len(json.loads(body)["results"]))
            except Exception as error:  # reported by the assertion below
                outcomes[index] = ("error", repr(error))

        threads = [threading.Thread(target=fetch, args=(i,), daemon=True) for i in range(clients)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        for thread in threads:
            thread.join(timeout=max(0, deadline - time.monotonic()))
        self.assertFalse([t for t in threads if t.is_alive()], "clients still waiting after 60 s")
        failures = [(i, o) for i, o in enumerate(outcomes) if o != (200, 500)]
        self.assertEqual(failures, [])
        self.assert_still_serving()

    def test_sigterm_with_open_connections_exits_cleanly(self):
        # Idle, half-sent and finished keep-alive connections must not stop
        # an orderly shutdown, nor crash it (bounded: 10 servers).
        for attempt in range(10):
            server = ServerProcess()
            sockets = []
            try:
                done = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                done.sendall(b"GET /api/?results=3 HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertTrue(done.recv(65536).startswith(b"HTTP/1.1 200"))
                idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                partial = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                partial.sendall(b"GET /api/ HTT")
                sockets = [done, idle, partial]
                if attempt % 2:
                    time.sleep(0.05)
                started = time.monotonic()
                code = server.terminate()
                self.assertEqual(code, 0, "exit code after SIGTERM (attempt %d)" % attempt)
                self.assertLess(time.monotonic() - started, 3.0, "shutdown waited on clients")
            finally:
                for s in sockets:
                    s.close()
                server.kill()

    # 7. Rate limiting -----------------------------------------------------------

    def test_rate_limit_per_minute(self):
        # The limiter counts per clock minute; if the minute turns between the
        # two requests the second is allowed, so a fresh server gets one more try.
        for attempt in range(2):
            limited = ServerProcess("--max-users-per-minute", "10")
            try:
                status, _, body = self.get("/api/?results=8", port=limited.port)
                self.assertEqual(status, 200, body[:300])
                self.assertEqual(len(json.loads(body)["results"]), 8)
                status, headers, body = self.get("/api/?results=5", port=limited.port)
                if status == 200 and attempt == 0:
                    continue
                self.assert_json_error(status, headers, body, 429, "over the limit")
                self.assertTrue(limited.is_running())
            finally:
                code = limited.terminate()
                limited.kill()
            self.assertEqual(code, 0, "rate-limited server exit after SIGTERM")
            return

    # 8. CLI -----------------------------------------------------------------------

    def test_cli_unknown_nationality_is_usage_error(self):
        result = run_cli("datagen", "--nat", "xx")
        self.assertEqual(result.returncode, 2)
        lines = result.stderr.decode().strip().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("xx", lines[0])
        self.assertEqual(result.stdout, b"")

    def test_cli_count_zero_is_usage_error(self):
        result = run_cli("datagen", "--count", "0")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(len(result.stderr.decode().strip().splitlines()), 1)

    def test_cli_fetch_from_closed_port_fails(self):
        # A bound socket that never listens: connections to it are refused.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as reserved:
            reserved.bind((HOST, 0))
            port = reserved.getsockname()[1]
            result = run_cli("datagen", "fetch", "--url", "http://%s:%d/api/" % (HOST, port),
                             "--attempts", "1")
        self.assertEqual(result.returncode, 1, result.stderr.decode())
        self.assertIn("unreachable", result.stderr.decode())

    def test_cli_fetch_from_server_in_batches(self):
        result = run_cli("datagen", "fetch", "--url", "http://%s:%d/api/" % (HOST, self.port),
                         "--count", "12", "--batch", "5", "--seed", "s", "--format", "jsonl")
        self.assertEqual(result.returncode, 0, result.stderr.decode())
        lines = result.stdout.decode("utf-8").splitlines()
        self.assertEqual(len(lines), 12)
        fetched = [json.loads(line) for line in lines]
        for user in fetched:
            self.assertEqual(set(user), USER_FIELDS)
        # Batches of 5, 5 and 2 are pages 1, 2 and 3 of the seeded sequence.
        served = []
        for page, results in ((1, 5), (2, 5), (3, 2)):
            served += self.get_json("/api/?seed=s&results=%d&page=%d" % (results, page))["results"]
        self.assertEqual([u["login"]["uuid"] for u in fetched],
                         [u["login"]["uuid"] for u in served])
        self.assertEqual(fetched, served)

    def test_cli_full_disk_is_a_runtime_error(self):
        result = run_cli("datagen", "--count", "20000", "--format", "jsonl", "--output", "/dev/full")
        self.assertEqual(result.returncode, 1, result.stderr.decode())
        self.assertIn(b"No space left on device", result.stderr)
        self.assertEqual(result.stderr.count(b"\n"), 1, result.stderr.decode())

    def test_cli_unwritable_output_is_a_runtime_error(self):
        result = run_cli("datagen", "--output", "/nonexistent-dir/users.json")
        self.assertEqual(result.returncode, 1, result.stderr.decode())
        self.assertIn(b"cannot open /nonexistent-dir/users.json", result.stderr)

    def test_cli_help_exits_zero(self):
        for args in (("--help",), ("datagen", "serve", "--help")):
            with self.subTest(args=args):
                result = run_cli(*args)
                self.assertEqual(result.returncode, 0, result.stderr.decode())
                self.assertTrue(result.stdout.strip())
        self.assertIn(b"--listen", run_cli("datagen", "serve", "--help").stdout)


if __name__ == "__main__":
    unittest.main()
