#!/usr/bin/env bash
# Benchmarks the ingestion stage (run by hand; not part of the tests):
# `runnel ingest --users N` from the embedded generator into a `runnel broker`
# on the same machine (idempotent, acks=all, lz4, linger 10 ms), users/s as
# its summary reports them (from the first produce to the last delivery
# report) and by wall time (process start to exit). Next to it, in the same
# run:
#  - the generator alone: `runnel datagen --count N --format jsonl` to
#    /dev/null (what producing costs on top of making the users);
#  - the same records without the generator: `runnel produce` of the
#    ingested topic's KEY<TAB>VALUE lines, read back with `runnel consume`
#    (what making the users costs on top of producing them).
#
# Usage: bench/ingest.sh [N=1000000] [RUNS=3] [DIR=a temporary directory]
# Target (issue 4): ingest at least 200,000 users/s.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
runs=${2:-3}
dir=${3:-$(mktemp -d -t runnel-ingest-bench-XXXXXX)}
runnel=build/runnel
[[ -x $runnel ]] || { echo "build first: cmake -S . -B build -G Ninja && cmake --build build" >&2; exit 1; }

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
kafka=127.0.0.1:$port
mkdir -p "$dir/broker"
"$runnel" broker --listen "$kafka" --data-dir "$dir/broker" --log-level warn &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

seconds_of() {  # prints the wall time of a command, in seconds; its stderr to $dir/stderr
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>"$dir/stderr"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

rate_line() {  # label count times...
  local label=$1 n=$2
  shift 2
  printf '%s\n' "$@" | sort -n | awk -v n="$n" -v label="$label" '
    { t[NR] = $1 }
    END { best = t[1]; median = t[int((NR + 1) / 2)];
          printf "%-44s best %9.0f users/s   median %9.0f users/s\n", label, n / best, n / median }'
}

echo "== $count users, $runs runs, broker at $kafka (data in $dir/broker)"
# A warm-up: the topic's first segment, the page cache, librdkafka's start.
"$runnel" ingest --kafka "$kafka" --topic warm-up --users 10000 2>/dev/null

walls=() reported=()
for ((i = 0; i < runs; i++)); do
  walls+=("$(seconds_of "$runnel" ingest --kafka "$kafka" --topic "ingest-$i" --users "$count")")
  summary=$(grep '^produced' "$dir/stderr")
  grep -q ', 0 failed$' <<<"$summary" || { echo "ingest failed: $(cat "$dir/stderr")" >&2; exit 1; }
  # The summary's users/s, as a time for the rate_line below.
  reported+=("$(sed -E 's/.*\(([0-9,]+) users\/s\).*/\1/; s/,//g' <<<"$summary" | awk -v n="$count" '{ print n / $1 }')")
done
rate_line "runnel ingest (its summary)" "$count" "${reported[@]}"
rate_line "runnel ingest (wall, process start to exit)" "$count" "${walls[@]}"

times=()
for ((i = 0; i < runs; i++)); do
  times+=("$(seconds_of "$runnel" datagen --count "$count" --format jsonl --output /dev/null)")
done
rate_line "reference: runnel datagen --format jsonl" "$count" "${times[@]}"

"$runnel" consume --kafka "$kafka" ingest-0 --from earliest --count "$count" --print-key \
  -K $'\t' >"$dir/records.tsv"
bytes=$(stat -c %s "$dir/records.tsv")
times=()
for ((i = 0; i < runs; i++)); do
  times+=("$(seconds_of "$runnel" produce --kafka "$kafka" "produce-$i" --compression lz4 \
    -K $'\t' --file "$dir/records.tsv")")
done
rate_line "reference: runnel produce, same records" "$count" "${times[@]}"
echo "(records average $((bytes / count)) bytes as KEY<TAB>VALUE lines)"
