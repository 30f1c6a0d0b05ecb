// node produce_consume.js BOOTSTRAP TOPIC COUNT GROUP
// Creates TOPIC with 3 partitions through the admin API, produces COUNT keyed
// messages with acks=-1 (every other batch gzip-compressed, every message with
// a header), then consumes them in consumer group GROUP.
'use strict';

const { CompressionTypes } = require('kafkajs');
const { kafka, main, consumeCount } = require('./client');

const [bootstrap, topic, countText, groupId] = process.argv.slice(2);
const count = Number(countText);

main(async () => {
  const client = kafka(bootstrap, 'runnel-kafkajs-produce-consume');
  const admin = client.admin();
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();

  const producer = client.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const produced = [];
  const batchSize = 50;
  for (let first = 0; first < count; first += batchSize) {
    const messages = [];
    for (let i = first; i < Math.min(first + batchSize, count); i++) {
      messages.push({ key: `key-${i % 17}`, value: `value-${i}`, headers: { seq: `${i}` } });
    }
    const compression = (first / batchSize) % 2 ? CompressionTypes.GZIP : CompressionTypes.None;
    const metadata = await producer.send({ topic, acks: -1, compression, messages });
    for (const entry of metadata) {
      produced.push({ partition: entry.partition, errorCode: entry.errorCode,
                      baseOffset: Number(entry.baseOffset) });
    }
  }
  await producer.disconnect();

  const consumer = client.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const received = await consumeCount(consumer, count, { timeoutMs: 15000, settleMs: 1000 });
  await consumer.disconnect();
  return { created, produced, received };
});
