// node group_resume.js BOOTSTRAP TOPIC GROUP FIRST SECOND
// Produces FIRST messages; a consumer in GROUP reads them all, commits and
// disconnects; then SECOND more messages are produced and a new consumer in
// the same GROUP (fromBeginning) must receive only those: it resumes from
// the committed offsets.
'use strict';

const { kafka, main, consumeCount } = require('./client');

const [bootstrap, topic, groupId, firstText, secondText] = process.argv.slice(2);
const first = Number(firstText);
const second = Number(secondText);

async function produce(client, from, to) {
  const producer = client.producer();
  await producer.connect();
  const messages = [];
  for (let i = from; i < to; i++) messages.push({ key: `key-${i}`, value: `value-${i}` });
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

async function consumeOnce(client, count) {
  const consumer = client.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const received = await consumeCount(consumer, count, { timeoutMs: 10000, settleMs: 1000 });
  await consumer.disconnect();
  return received;
}

main(async () => {
  const client = kafka(bootstrap, 'runnel-kafkajs-group-resume');
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await produce(client, 0, first);
  const firstReceived = await consumeOnce(client, first);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  await produce(client, first, first + second);
  const secondReceived = await consumeOnce(client, second);
  await admin.disconnect();
  return {
    firstReceived,
    committed: committed[0].partitions
      .map((p) => ({ partition: p.partition, offset: Number(p.offset) }))
      .sort((a, b) => a.partition - b.partition),
    secondReceived,
  };
});
