/** Test doubles of the Azure ingest adapter: an in-memory event hub and its consumer client. */
export { FakeEventHub, FakeEventHubConsumerClient } from './fake-event-hub.js';
export type { FakeEventHubOptions } from './fake-event-hub.js';
export {
  camelCaseActivityRecord,
  pascalCaseActivityRecord,
  recordsBody,
} from './activity-records.js';
