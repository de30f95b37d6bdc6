export { waitFor } from './wait-for.js';
export { randomName } from './names.js';
export {
  repoRoot,
  sharedDatasetsDir,
  hasSharedDatasets,
  sharedDatasetsSkipReason,
} from './paths.js';
export {
  kafkaBrokers,
  clickhouseUrl,
  clickhouseModernUrl,
  clickhouseModernSkipReason,
} from './servers.js';
export { startChildService } from './child-service.js';
export type { ChildService, LogLine } from './child-service.js';
