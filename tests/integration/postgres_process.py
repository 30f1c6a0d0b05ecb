"""A throwaway PostgreSQL 15 cluster for integration tests.

PostgresProcess runs initdb into a temporary directory and starts the server
with pg_ctl on a free loopback port (its Unix socket in the same directory,
fsync on, trust authentication for 127.0.0.1); close() stops it and removes
the directory. initdb refuses to run as root, so as root the server binaries
run as the `postgres` system user. query() and execute() go through psql, so
tests need no Python driver. RUNNEL_PG_BIN overrides the binaries' directory.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile

BIN = os.environ.get("RUNNEL_PG_BIN", "/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
USER = "postgres"
COMMAND_SECONDS = 120
# psql's unaligned output with separators and a null marker no test value
# contains.
FIELD_SEPARATOR = "\x1f"
RECORD_SEPARATOR = "\x1e"
NULL = "\x02null\x02"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class PostgresProcess:
    """A running cluster; `url(database)` is its libpq URL."""

    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="runnel-pg-")
        self.data = os.path.join(self.directory, "data")
        self.running = False
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        try:
            self._server_command("initdb", "-D", self.data, "-U", USER, "-A", "trust",
                                 "-E", "UTF8", "--locale=C", "-N")
            self.start()
        except BaseException:
            self.close()
            raise

    def url(self, database="postgres"):
        return "postgresql://%s@%s:%d/%s" % (USER, HOST, self.port, database)

    def start(self):
        self._server_command(
            "pg_ctl", "start", "-w", "-t", "60", "-D", self.data,
            "-l", os.path.join(self.directory, "server.log"),
            "-o", "-p %d -k %s -h %s -c fsync=on" % (self.port, self.directory, HOST))
        self.running = True

    def stop(self, mode="fast"):
        """pg_ctl stop; mode "immediate" is a crash."""
        self.running = False
        self._server_command("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", self.data)

    def restart(self):
        self._server_command("pg_ctl", "restart", "-w", "-t", "60", "-m", "fast", "-D", self.data,
                             "-l", os.path.join(self.directory, "server.log"))
        self.running = True

    def create_database(self, name):
        self.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        self.execute('CREATE DATABASE "%s"' % name)

    def execute(self, sql, database="postgres"):
        self._psql(sql, database)

    def query(self, sql, database="postgres"):
        """Rows as tuples of strings; SQL null is None."""
        output = self._psql(sql, database, "-A", "-t", "-F", FIELD_SEPARATOR,
                            "-R", RECORD_SEPARATOR, "-P", "null=" + NULL)
        if output.endswith("\n"):
            output = output[:-1]
        if output == "":
            return []
        return [tuple(None if value == NULL else value for value in record.split(FIELD_SEPARATOR))
                for record in output.split(RECORD_SEPARATOR)]

    def log(self):
        try:
            with open(os.path.join(self.directory, "server.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def close(self):
        if self.running:
            try:
                self.stop(mode="immediate")
            except RuntimeError:
                pass
        shutil.rmtree(self.directory, ignore_errors=True)

    def _psql(self, sql, database, *options):
        result = subprocess.run(
            [os.path.join(BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", *options,
             "-d", self.url(database), "-c", sql],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=COMMAND_SECONDS)
        if result.returncode != 0:
            raise RuntimeError("psql failed: %s\n%s" % (sql, result.stderr.decode("utf-8", "replace")))
        return result.stdout.decode("utf-8")

    def _server_command(self, binary, *args):
        command = [os.path.join(BIN, binary), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                                timeout=COMMAND_SECONDS)
        if result.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s%s\nserver log:\n%s" % (
                " ".join(command), result.returncode, result.stdout.decode("utf-8", "replace"),
                result.stderr.decode("utf-8", "replace"), self.log()))
