"""`runnel broker` (and, through ServerProcess, the other servers) as a child
process for integration tests.

Every test module that needs a broker imports BrokerProcess: it starts the
real binary on a free loopback port with a temporary data directory, waits
until the port accepts connections, and stops it with SIGTERM (or kills it,
for crash tests). RUNNEL_BINARY overrides the binary (default:
<repo>/build/runnel).
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("RUNNEL_BINARY", os.path.join(REPO, "build", "runnel"))
HOST = "127.0.0.1"
STARTUP_SECONDS = 10
SHUTDOWN_SECONDS = 10


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A running `runnel <command> --listen HOST:port --data-dir DIR`, its
    output in a temporary log: started on a free port (or `port`) with a
    temporary data directory (or `data_dir`, kept), ready once the port
    accepts connections."""

    command = None  # "broker", "store"
    startup_seconds = STARTUP_SECONDS

    def __init__(self, *extra_args, data_dir=None, port=None, preexec_fn=None):
        self.host = HOST
        self.port = port or free_port()
        self.own_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="runnel-%s-" % self.command)
        self.extra_args = extra_args
        self.preexec_fn = preexec_fn
        self.log = tempfile.NamedTemporaryFile(prefix="runnel-%s-" % self.command, suffix=".log",
                                               delete=False)
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [BINARY, self.command, "--listen", "%s:%d" % (HOST, self.port),
             "--data-dir", self.data_dir, *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("runnel %s exited with %s:\n%s"
                                   % (self.command, self.process.returncode, self.output()))
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        self.process.kill()
        raise RuntimeError("runnel %s did not listen within %d s:\n%s"
                           % (self.command, self.startup_seconds, self.output()))

    def output(self):
        with open(self.log.name, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        """SIGTERM, as a user's Ctrl-C; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(SHUTDOWN_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("runnel %s did not stop on SIGTERM:\n%s"
                                   % (self.command, self.output()))
        return self.process.returncode

    def kill(self):
        """SIGKILL: a crash at an arbitrary moment."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self):
        self.stop()
        self.start()

    def close(self):
        code = self.stop()
        if self.own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        self.log.close()
        os.unlink(self.log.name)
        return code


class BrokerProcess(ServerProcess):
    """A running `runnel broker`; `bootstrap` is its host:port."""

    command = "broker"

    @property
    def bootstrap(self):
        return "%s:%d" % (HOST, self.port)
