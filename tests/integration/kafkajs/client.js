// The KafkaJS client every scenario script shares: the broker address comes
// from the command line, logs go to stderr (KAFKAJS_LOG_LEVEL=debug shows the
// protocol), and stdout carries only the scenario's JSON result.
'use strict';

const { Kafka, logLevel } = require('kafkajs');

function kafka(bootstrap, clientId) {
  const level = (process.env.KAFKAJS_LOG_LEVEL || 'warn').toUpperCase();
  return new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: logLevel[level],
    logCreator: () => ({ namespace, level: entryLevel, log }) => {
      const { message, ...extra } = log;
      process.stderr.write(`${entryLevel} ${namespace}: ${message} ${JSON.stringify(extra)}\n`);
    },
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
    connectionTimeout: 3000,
    requestTimeout: 10000,
  });
}

// Runs `scenario` and prints its result as one JSON line; any failure is
// printed as {"error": ...} and exits non-zero, so the test shows the cause.
function main(scenario) {
  const deadline = setTimeout(() => {
    process.stdout.write(JSON.stringify({ error: 'scenario deadline passed' }) + '\n');
    process.exit(3);
  }, Number(process.env.SCENARIO_DEADLINE_MS || 25000));
  scenario()
    .then((result) => {
      clearTimeout(deadline);
      process.stdout.write(JSON.stringify(result) + '\n');
      process.exit(0);
    })
    .catch((error) => {
      clearTimeout(deadline);
      process.stdout.write(JSON.stringify({ error: `${error.name}: ${error.message}`,
                                            type: error.type, stack: error.stack }) + '\n');
      process.exit(2);
    });
}

// Consumes with `consumer.run({eachMessage})` until `count` messages arrived
// and then `settleMs` more passed (so duplicates would show), or until
// `timeoutMs`; returns every message received, in arrival order.
async function consumeCount(consumer, count, { timeoutMs, settleMs }) {
  const received = [];
  let reachedAt = null;
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      received.push({
        topic,
        partition,
        offset: Number(message.offset),
        key: message.key === null ? null : message.key.toString(),
        value: message.value === null ? null : message.value.toString(),
        headers: Object.fromEntries(Object.entries(message.headers || {})
          .map(([name, value]) => [name, value.toString()])),
      });
      if (received.length >= count && reachedAt === null) reachedAt = Date.now();
    },
  });
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (reachedAt !== null && Date.now() - reachedAt >= settleMs) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return received;
}

module.exports = { kafka, main, consumeCount };
