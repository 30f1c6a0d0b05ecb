"""The disk's own acks=all floor, for bench/broker.sh: append to PARTITIONS
files at MB_PER_SECOND in total, as a producer would, and fdatasync them
together (one thread each, as the broker's group commit does) every few
milliseconds; print the sync latency p50/p99/max.

Usage: fsync_latency.py DIR [MB_PER_SECOND=20] [SECONDS=10] [PARTITIONS=4]
"""

import os
import sys
import threading
import time

directory = sys.argv[1]
rate = float(sys.argv[2]) if len(sys.argv) > 2 else 20
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
partitions = int(sys.argv[4]) if len(sys.argv) > 4 else 4
interval = 0.005

paths = [os.path.join(directory, "fsync-%d.tmp" % i) for i in range(partitions)]
files = [os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) for p in paths]
chunk = b"r" * int(rate * 1e6 * interval / partitions)
latencies = []
started = time.monotonic()
while time.monotonic() - started < seconds:
    tick = time.monotonic()
    for f in files:
        os.write(f, chunk)
    syncs = [threading.Thread(target=os.fdatasync, args=(f,)) for f in files]
    for t in syncs:
        t.start()
    for t in syncs:
        t.join()
    latencies.append((time.monotonic() - tick) * 1000)
    time.sleep(max(0.0, interval - (time.monotonic() - tick)))
for f, p in zip(files, paths):
    os.close(f)
    os.unlink(p)
latencies.sort()
n = len(latencies)
print("disk: write + fdatasync of %d files at %.0f MB/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
      % (partitions, rate, latencies[n // 2], latencies[min(n - 1, int(n * 0.99))], latencies[-1]))
