#!/usr/bin/env bash
# Benchmarks `runnel broker` (run by hand; not part of the tests).
#
#  0. The reference, measured in the same run on the same file system: the
#     disk's sequential write bandwidth with fdatasync
#     (dd bs=1M count=1024 conv=fdatasync).
#  1. Start-up: from exec to the port accepting connections; idle RSS.
#  2. Produce: librdkafka (bench/kafka_bench.cc), COUNT records of 1 KiB,
#     acks=all (every acknowledged batch fdatasync'd by the broker's group
#     commit), idempotent, 4 partitions, as fast as possible: MB/s and
#     produce latency p50/p99.
#  3. Consume: the same records from the beginning (page cache): MB/s.
#  4. Latency at a fixed load: 20 MB/s for SECONDS seconds, acks=all; next
#     to it the disk's own floor at that load (bench/fsync_latency.py: the
#     same bytes appended to 4 files, fdatasync'd together every 5 ms).
#
# Usage: bench/broker.sh [COUNT=500000] [SECONDS=10] [DIR=build/bench-broker]
# Targets (issue 3): produce >= 60% of the dd bandwidth, consume >= 1.5x it,
# p99 produce latency < 10 ms at 20 MB/s, start-up < 100 ms, idle RSS < 30 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-500000}
seconds=${2:-10}
dir=${3:-build/bench-broker}
runnel=build/runnel
bench=build/bench/kafka_bench
[[ -x $runnel && -x $bench ]] || {
  echo "build first: cmake -S . -B build -G Ninja && cmake --build build" >&2
  exit 1
}
rm -rf "$dir"
mkdir -p "$dir"
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bootstrap=127.0.0.1:$port

echo "== reference: sequential write with fdatasync (dd, 1 GiB) in $dir"
disk=$(dd if=/dev/zero of="$dir/dd.tmp" bs=1M count=1024 conv=fdatasync 2>&1 | tail -1 |
  sed -E 's/.* copied, ([0-9.]+) s.*/\1/')
rm -f "$dir/dd.tmp"
disk_mbps=$(echo "1073.741824 / $disk" | bc -l)
printf 'disk: %.1f MB/s\n' "$disk_mbps"

echo "== start-up and idle memory"
broker_pid=""
cleanup() { [[ -n $broker_pid ]] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true; }
trap cleanup EXIT
startup_ms=$(/usr/bin/python3 - "$runnel" "$bootstrap" "$dir" "$port" <<'PY'
import socket, subprocess, sys, time
runnel, bootstrap, data, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
start = time.monotonic()
p = subprocess.Popen([runnel, "broker", "--listen", bootstrap, "--data-dir", data + "/startup",
                      "--log-level", "warn"])
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
        break
    except OSError:
        pass
elapsed = (time.monotonic() - start) * 1000
p.terminate(); p.wait()
print("%.1f" % elapsed)
PY
)
echo "start-up (exec to accepting): ${startup_ms} ms"
"$runnel" broker --listen "$bootstrap" --data-dir "$dir" --default-partitions 4 --log-level warn &
broker_pid=$!
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
sleep 0.5
echo "idle RSS: $(awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' /proc/$broker_pid/status)"

echo "== produce: $count x 1 KiB, acks=all, 4 partitions"
produce=$("$bench" produce "$bootstrap" bench-throughput "$count" 1024)
echo "$produce"
echo "== consume: the same records from the beginning"
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
broker_before=$(cpu_seconds "$broker_pid")
consume=$(/usr/bin/time -f "%U %S" -o "$dir/consumer.time" "$bench" consume "$bootstrap" bench-throughput "$count")
broker_after=$(cpu_seconds "$broker_pid")
echo "$consume"
printf 'CPU during the consume: broker %.2f s, consumer (librdkafka) %.2f s\n' \
  "$(echo "$broker_after - $broker_before" | bc -l)" "$(awk '{ print $1 + $2 }' "$dir/consumer.time")"
rate=20
paced=$((rate * 1000000 * seconds / 1024))
echo "== latency at $rate MB/s for $seconds s, acks=all"
echo "reference, $(/usr/bin/python3 bench/fsync_latency.py "$dir" "$rate" "$seconds" 4)"
latency=$("$bench" produce "$bootstrap" bench-latency "$paced" 1024 "$rate")
echo "$latency"
echo "RSS after the runs: $(awk '/VmRSS/ { printf "%.1f MB", $2 / 1024 }' /proc/$broker_pid/status)"

produce_mbps=$(echo "$produce" | sed -E 's/.*: ([0-9.]+) MB\/s.*/\1/')
consume_mbps=$(echo "$consume" | sed -E 's/.*: ([0-9.]+) MB\/s.*/\1/')
echo "== against the disk"
printf 'produce / disk: %.2f (target >= 0.60)\n' "$(echo "$produce_mbps / $disk_mbps" | bc -l)"
printf 'consume / disk: %.2f (target >= 1.50)\n' "$(echo "$consume_mbps / $disk_mbps" | bc -l)"
