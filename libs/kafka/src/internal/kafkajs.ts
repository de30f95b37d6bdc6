// kafkajs is CommonJS and builds its exports object with a spread, so Node's ES module loader
// cannot see most of its named exports (vitest can, which hides the problem in unit tests).
// Every runtime value comes from the default export, through this file.
import kafkajs from 'kafkajs';

export const { Kafka, Partitioners, CompressionTypes, ConfigResourceTypes, logLevel } = kafkajs;
