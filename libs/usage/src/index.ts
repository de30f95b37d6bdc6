export { UsageStore } from './internal/usage-store.js';
export type {
  PermissionUsage,
  PrincipalActivity,
  UsageStoreOptions,
} from './internal/usage-store.js';
export { COUNTED_PHASES, countsAsUse } from './internal/counting-rule.js';
