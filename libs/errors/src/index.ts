export {
  CiemError,
  ConfigError,
  InputError,
  DependencyError,
  RejectedError,
  errorTypeOf,
  errorCodeOf,
  isRetriable,
  messageOf,
} from './ciem-error.js';
export type { ErrorType } from './ciem-error.js';
export { describeValue, maskSecret } from './truncate.js';
