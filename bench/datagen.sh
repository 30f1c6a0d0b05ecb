#!/usr/bin/env bash
# Benchmarks the random-user source (run by hand; not part of the tests).
#
#  1. Generation: `runnel datagen --count N --format jsonl` on one core (taskset),
#     full login hashes, best and median of RUNS runs; next to it, in the same
#     run, a straightforward Python generator of the same users on the same core
#     (bench/reference_generator.py), the kind of generator randomuser.me is.
#  2. Serving: `runnel datagen serve`, 8 concurrent clients (wrk) requesting
#     results=5000 for SECONDS seconds, first as fast as they can (the most
#     users/s), then pausing between requests to offer about 150,000 users/s
#     (the latency at that load); users/s and request latency p50/p99. Next to
#     it, the same server answering a tiny document (/): HTTP overhead alone.
#
# Usage: bench/datagen.sh [N=1000000] [RUNS=5] [SECONDS=10]
# Targets (issue 2): generation >= 300,000 users/s on one core; serving
# >= 150,000 users/s with p99 < 100 ms at 8 clients.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
runs=${2:-5}
seconds=${3:-10}
runnel=build/runnel
[[ -x $runnel ]] || { echo "build first: cmake -S . -B build -G Ninja && cmake --build build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/install-deps" >&2; exit 1; }

seconds_of() {  # prints the wall time of a command, in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

rate_line() {  # label count times...
  local label=$1 n=$2
  shift 2
  printf '%s\n' "$@" | sort -n | awk -v n="$n" -v label="$label" '
    { t[NR] = $1 }
    END { best = t[1]; median = t[int((NR + 1) / 2)];
          printf "%-34s best %9.0f users/s   median %9.0f users/s\n", label, n / best, n / median }'
}

echo "== generation, one core (taskset -c 1), $count users, $runs runs"
times=()
for ((i = 0; i < runs; i++)); do
  times+=("$(seconds_of taskset -c 1 "$runnel" datagen --count "$count" --format jsonl --output /dev/null)")
done
rate_line "runnel datagen --format jsonl" "$count" "${times[@]}"
reference_count=$((count / 10))
times=()
for ((i = 0; i < runs; i++)); do
  times+=("$(seconds_of taskset -c 1 /usr/bin/python3 bench/reference_generator.py "$reference_count")")
done
rate_line "reference (Python stdlib)" "$reference_count" "${times[@]}"

echo
echo "== serving, 8 clients, results=5000, ${seconds}s"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$runnel" datagen serve --listen "127.0.0.1:$port" --log-level warn &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done

report() {  # label results-per-request wrk-output
  awk -v label="$1" -v per="$2" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    END { printf "%-34s %9.1f req/s  %10.0f users/s   p50 %8s   p99 %8s\n", label, rps, rps * per, p50, p99 }' <<<"$3"
}
out=$(wrk -t2 -c8 -d"${seconds}s" --latency "http://127.0.0.1:$port/api/?results=5000")
report "saturated (8 clients, no pause)" 5000 "$out"
# The same 8 clients pausing between requests (bench/paced.lua), offering
# about 30 requests/s, the issue's 150,000 users/s: latency at that load.
out=$(wrk -t2 -c8 -d"${seconds}s" --latency -s bench/paced.lua "http://127.0.0.1:$port/api/?results=5000" -- 220)
report "paced to ~150,000 users/s" 5000 "$out"
out=$(wrk -t2 -c8 -d"${seconds}s" --latency "http://127.0.0.1:$port/")
report "reference: tiny document (/)" 0 "$out"
