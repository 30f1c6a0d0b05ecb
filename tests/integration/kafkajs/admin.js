// node admin.js BOOTSTRAP TOPIC...
// Creates each TOPIC (partition counts 1, 2, 3, ...; the first with
// retention.ms=123456), lists topics, fetches their metadata and the first
// one's configs, deletes them and lists again.
'use strict';

const { ConfigResourceTypes } = require('kafkajs');
const { kafka, main } = require('./client');

const [bootstrap, ...topics] = process.argv.slice(2);

main(async () => {
  const admin = kafka(bootstrap, 'runnel-kafkajs-admin').admin();
  await admin.connect();
  const created = await admin.createTopics({
    topics: topics.map((topic, i) => ({
      topic,
      numPartitions: i + 1,
      replicationFactor: 1,
      configEntries: i === 0 ? [{ name: 'retention.ms', value: '123456' }] : [],
    })),
    waitForLeaders: true,
  });
  const createdAgain = await admin.createTopics({
    topics: [{ topic: topics[0], numPartitions: 1 }],
  });
  const listed = (await admin.listTopics()).sort();
  const metadata = await admin.fetchTopicMetadata({ topics });
  const described = metadata.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions
      .map((p) => ({ partitionId: p.partitionId, leader: p.leader, errorCode: p.partitionErrorCode,
                     replicas: p.replicas, isr: p.isr }))
      .sort((a, b) => a.partitionId - b.partitionId),
  }));
  const describedConfigs = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topics[0],
                  configNames: ['retention.ms', 'segment.bytes'] }],
    includeSynonyms: false,
  });
  const configs = describedConfigs.resources[0].configEntries
    .map((entry) => ({ name: entry.configName, value: entry.configValue,
                       isDefault: entry.isDefault }))
    .sort((a, b) => a.name.localeCompare(b.name));
  await admin.deleteTopics({ topics, timeout: 5000 });
  const listedAfterDelete = (await admin.listTopics()).sort();
  await admin.disconnect();
  return { created, createdAgain, listed, described, configs, listedAfterDelete };
});
