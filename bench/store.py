"""Benchmarks the CQL store (run by hand; not part of the tests): a
`runnel store` and a throwaway PostgreSQL 15 cluster, both on this machine,
driven by build/bench/store_bench:

 1. Created users written through the Cassandra sink into the store, in
    full micro-batches of the streaming job (40,000 rows): rows/s. Reference in
    the same run: the same rows through the PostgreSQL sink.
 2. Point reads by primary key (prepared SELECT ... WHERE id = ?) from 8
    connections of a minimal blocking client: reads/s, p50/p99 latency, twice: with 8 reads in flight
    on each connection (pipelined, as the drivers' execute_async does), and
    with each connection waiting for every answer before the next read.
The store's figures also give its CPU per row or read (from
/proc/<pid>/stat), which this VM's changing speed moves less than a rate.

Usage: /usr/bin/python3 bench/store.py [USERS=200000] [SECONDS=10]
Targets (issue 5): >= 100,000 rows/s through the sink; >= 50,000 point
reads/s from 8 connections with p99 < 5 ms.
"""

import os
import re
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


def store_cpu_seconds(process):
    """User and system CPU the store process has used so far."""
    with open("/proc/%d/stat" % process.pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def store_bench(*args):
    """Runs store_bench and prints its figures; with `store`, also the store's
    CPU per row or read, which the machine's speed changes less than a rate."""
    store_before = store_cpu_seconds(store.process) if args[0] != "write-postgres" else None
    result = subprocess.run([bench, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("store_bench %s failed:\n%s%s" % (args[0], result.stdout, result.stderr))
    figures = result.stdout.strip()
    done = re.search(r"(\d+) (rows|reads)", figures)
    if store_before is not None and done:
        used = store_cpu_seconds(store.process) - store_before
        figures += "; store CPU %.1f us per %s" % (used * 1e6 / int(done.group(1)),
                                                   done.group(2)[:-1])
    print(figures)


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
