/**
 * A consumer process for the kill-mid-batch test. It joins the group given on the command
 * line and prints each batch it receives as one JSON line on stdout. It never finishes
 * handling a batch, so nothing is committed when the test kills the process.
 *
 *   node --import tsx hanging-consumer.ts <brokers> <topic> <groupId>
 */
import { createKafkaClient } from '../index.js';

const [brokers, topic, groupId] = process.argv.slice(2);
if (!brokers || !topic || !groupId) {
  process.stderr.write('usage: hanging-consumer.ts <brokers> <topic> <groupId>\n');
  process.exit(2);
}

const client = createKafkaClient({ brokers: brokers.split(','), clientId: 'hanging-consumer' });
await client.runConsumer({
  groupId,
  topics: [topic],
  fromBeginning: true,
  // The minimum session timeout of a default broker, so the group drops this member soon
  // after the kill.
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 1_000,
  handleBatch: async (batch) => {
    const values = batch.messages.map((message) => message.value?.toString() ?? null);
    process.stdout.write(`${JSON.stringify({ partition: batch.partition, values })}\n`);
    await new Promise(() => {});
  },
});
