"""Benchmarks the pipeline (run by hand; not part of the tests), against a
throwaway PostgreSQL 15 cluster and a `runnel broker`, with the reference
measured in the same run on the same server:

 1. Topic to PostgreSQL: USERS created users already in a topic, then
    `runnel stream --until-caught-up --postgres` (wall time, so the job's own
    start-up counts): users/s. Reference: a plain COPY of the same rows into a
    table of the same definition (psql \\copy, text format), rows/s; and the
    ratio. Also a binary COPY of them, the format the sink itself sends.
 2. End-to-end latency at 5,000 users/s: `runnel ingest --rate 5000` while
    `runnel stream` runs; for every user, the time from its Kafka CreateTime
    (set by the producer) to the row's insertion in PostgreSQL
    (clock_timestamp(), inside the committing transaction): p50/p99/max.
 3. `runnel up --rate 10000 --postgres` for SECONDS (with the embedded store,
    as `up` runs by default): the process's peak RSS.

Usage: /usr/bin/python3 bench/pipeline.py [USERS=200000] [SECONDS=15]
Targets (issue 4): topic to PostgreSQL >= 100,000 users/s and >= 70% of the
COPY; latency p99 < 250 ms at 5,000 users/s; `runnel up` < 200 MB RSS at
10,000 users/s.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

from confluent_kafka import Consumer, KafkaError, TopicPartition  # noqa: E402

from broker_process import BINARY, BrokerProcess  # noqa: E402
from postgres_process import BIN, PostgresProcess  # noqa: E402

users = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 15


def runnel(*args, **kwargs):
    return subprocess.run([BINARY, *args, "--log-level", "warn"], check=True,
                          capture_output=True, text=True, **kwargs)


def psql(pg, sql):
    subprocess.run([os.path.join(BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-d", pg.url(), "-c", sql], check=True, capture_output=True)


def topic_timestamps(bootstrap, topic):
    """key -> CreateTime (ms) of every record in the topic."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench",
                         "enable.auto.commit": False, "enable.partition.eof": True})
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = list(metadata.topics[topic].partitions)
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    stamps, ended = {}, set()
    deadline = time.monotonic() + 120
    while len(ended) < len(partitions) and time.monotonic() < deadline:
        message = consumer.poll(1.0)
        if message is None:
            continue
        if message.error():
            if message.error().code() == KafkaError._PARTITION_EOF:
                ended.add(message.partition())
            continue
        stamps[message.key().decode()] = message.timestamp()[1]
    consumer.close()
    return stamps


def percentile(values, p):
    return values[min(len(values) - 1, int(p * len(values)))]


pg = PostgresProcess()
broker = BrokerProcess("--default-partitions", "4", "--log-level", "warn")
work = tempfile.mkdtemp(prefix="runnel-pipeline-bench-")
try:
    print("== topic to PostgreSQL: %d users" % users)
    runnel("ingest", "--kafka", broker.bootstrap, "--users", str(users), "--seed", "bench")
    started = time.monotonic()
    runnel("stream", "--kafka", broker.bootstrap, "--until-caught-up", "--threads", "2",
           "--postgres", pg.url(), "--data-dir", work)
    stream_seconds = time.monotonic() - started
    stored = int(pg.query("SELECT count(*) FROM created_users")[0][0])
    assert stored == users, (stored, users)
    copy_seconds = {}
    for name, options in (("text", ""), ("binary", " (FORMAT binary)")):
        dump = os.path.join(work, "rows." + name)
        psql(pg, "\\copy created_users TO '%s'%s" % (dump, options))
        psql(pg, "CREATE TABLE copy_%s (LIKE created_users INCLUDING ALL)" % name)
        started = time.monotonic()
        psql(pg, "\\copy copy_%s FROM '%s'%s" % (name, dump, options))
        copy_seconds[name] = time.monotonic() - started
    stream_rate, copy_rate = users / stream_seconds, users / copy_seconds["text"]
    binary_rate = users / copy_seconds["binary"]
    print("runnel stream: %.0f users/s (%.2f s)" % (stream_rate, stream_seconds))
    print("reference, plain COPY of the same rows: %.0f rows/s (%.2f s)"
          % (copy_rate, copy_seconds["text"]))
    print("stream / COPY: %.2f (target >= 0.70)" % (stream_rate / copy_rate))
    print("for comparison, a binary COPY (the sink's format): %.0f rows/s (%.2f s); "
          "stream / binary COPY: %.2f" % (binary_rate, copy_seconds["binary"],
                                          stream_rate / binary_rate))

    print("== end-to-end latency at 5,000 users/s for %d s" % seconds)
    psql(pg, "CREATE TABLE latency_users (LIKE created_users INCLUDING ALL, "
             "stored_at timestamptz DEFAULT clock_timestamp())")
    runnel("topics", "create", "latency", "--partitions", "4", "--kafka", broker.bootstrap)
    job = subprocess.Popen([BINARY, "stream", "--kafka", broker.bootstrap, "--topic", "latency",
                            "--job", "latency", "--postgres", pg.url(),
                            "--postgres-table", "latency_users", "--data-dir", work,
                            "--log-level", "warn"], stderr=subprocess.DEVNULL)
    time.sleep(2)  # the job has joined its group: steady state is measured
    runnel("ingest", "--kafka", broker.bootstrap, "--topic", "latency", "--rate", "5000",
           "--for", "%ds" % seconds)
    stamps = topic_timestamps(broker.bootstrap, "latency")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if int(pg.query("SELECT count(*) FROM latency_users")[0][0]) >= len(stamps):
            break
        time.sleep(0.2)
    job.send_signal(signal.SIGTERM)
    job.wait(30)
    rows = pg.query("SELECT id, (extract(epoch FROM stored_at) * 1000)::bigint FROM latency_users")
    latencies = sorted(int(stored) - stamps[user] for user, stored in rows if user in stamps)
    print("users: %d; produce -> stored in PostgreSQL: p50 %d ms, p99 %d ms, max %d ms "
          "(target p99 < 250 ms)" % (len(latencies), percentile(latencies, 0.5),
                                     percentile(latencies, 0.99), latencies[-1]))

    print("== runnel up at 10,000 users/s for %d s" % seconds)
    up = subprocess.Popen([BINARY, "up", "--rate", "10000", "--postgres", pg.url(),
                           "--postgres-table", "up_users", "--job", "up_bench", "--broker-listen", "127.0.0.1:0",
                           "--store-listen", "127.0.0.1:0",
                           "--data-dir", os.path.join(work, "up"), "--log-level", "warn"],
                          stderr=subprocess.PIPE, text=True)
    peak = 0
    for _ in range(seconds * 4):
        time.sleep(0.25)
        with open("/proc/%d/status" % up.pid) as status:
            rss = int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1))
        peak = max(peak, rss)
    up.send_signal(signal.SIGINT)
    _, summary = up.communicate(timeout=60)
    stored = int(pg.query("SELECT count(*) FROM up_users")[0][0])
    print("peak RSS %.1f MB (target < 200 MB); stored %d users; %s"
          % (peak / 1024, stored, summary.strip().splitlines()[0] if summary.strip() else ""))
finally:
    broker.close()
    pg.close()
    subprocess.run(["rm", "-rf", work])
