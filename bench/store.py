"""Benchmarks the CQL store (run by hand; not part of the tests): a
`runnel store` and a throwaway PostgreSQL 15 cluster, both on this machine,
driven by build/bench/store_bench:

 1. Created users written through the Cassandra sink into the store, in
    full micro-batches of the streaming job (40,000 rows): rows/s. Reference in
    the same run: the same rows through the PostgreSQL sink.
 2. Point reads by primary key (prepared SELECT ... WHERE id = ?) from 8
    connections: reads/s, p50/p99 latency, twice: with 8 reads in flight
    on each connection (pipelined, as the drivers' execute_async does), and
    with each connection waiting for every answer before the next read.

Usage: /usr/bin/python3 bench/store.py [USERS=200000] [SECONDS=10]
Targets (issue 5): >= 100,000 rows/s through the sink; >= 50,000 point
reads/s from 8 connections with p99 < 5 ms.
"""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

from postgres_process import PostgresProcess  # noqa: E402
from store_process import StoreProcess  # noqa: E402

users = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
bench = os.path.join(REPO, "build", "bench", "store_bench")
if not os.access(bench, os.X_OK):
    sys.exit("build first: cmake --build build --target store_bench runnel")


def store_bench(*args):
    result = subprocess.run([bench, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("store_bench %s failed:\n%s%s" % (args[0], result.stdout, result.stderr))
    print(result.stdout.strip())


store = StoreProcess("--log-level", "warn")
postgres = PostgresProcess()
try:
    endpoint = "%s:%d" % (store.host, store.port)
    print("== %d created users through the sinks (batches of 40,000)" % users)
    store_bench("write-cassandra", endpoint, users)
    store_bench("write-postgres", postgres.url(), users)
    print("== point reads by primary key, 8 connections, %d s each" % seconds)
    store_bench("read", endpoint, users, 8, 8, seconds)
    store_bench("read", endpoint, users, 8, 1, seconds)
finally:
    postgres.close()
    store.close()
