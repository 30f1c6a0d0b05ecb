"""`runnel store` as a child process for integration tests.

StoreProcess starts the real binary on a free loopback port with a temporary
data directory (the store keeps RocksDB in <data dir>/store), waits until the
port accepts connections, and stops it with SIGTERM (or kills it, for crash
tests). RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from broker_process import BINARY, HOST, free_port

STARTUP_SECONDS = 15
SHUTDOWN_SECONDS = 15


class StoreProcess:
    """A running `runnel store`; clients reach it on (HOST, port)."""

    def __init__(self, *extra_args, data_dir=None, port=None):
        self.host = HOST
        self.port = port or free_port()
        self.own_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="runnel-store-")
        self.extra_args = extra_args
        self.log = tempfile.NamedTemporaryFile(prefix="runnel-store-", suffix=".log", delete=False)
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [BINARY, "store", "--listen", "%s:%d" % (HOST, self.port),
             "--data-dir", self.data_dir, *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("runnel store exited with %s:\n%s"
                                   % (self.process.returncode, self.output()))
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        self.process.kill()
        raise RuntimeError("runnel store did not listen within %d s:\n%s"
                           % (STARTUP_SECONDS, self.output()))

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
                raise RuntimeError("runnel store did not stop on SIGTERM:\n" + self.output())
        return self.process.returncode

    def kill(self):
        """SIGKILL: a crash at an arbitrary moment."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def close(self):
        code = self.stop()
        if self.own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        self.log.close()
        os.unlink(self.log.name)
        return code
