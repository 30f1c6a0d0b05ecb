"""`runnel store` as a child process for integration tests.

StoreProcess starts the real binary on a free loopback port with a temporary
data directory (the store keeps RocksDB in <data dir>/store), waits until the
port accepts connections, and stops it with SIGTERM (or kills it, for crash
tests). RUNNEL_BINARY overrides the binary (default: <repo>/build/runnel).
"""

from broker_process import ServerProcess


class StoreProcess(ServerProcess):
    """A running `runnel store`; clients reach it on (host, port)."""

    command = "store"
    startup_seconds = 15
