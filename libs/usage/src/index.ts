export { UsageStore } from './internal/usage-store.js';
export type {
  PermissionUsage,
  PrincipalActivity,
  UsageStoreOptions,
} from './internal/usage-store.js';
export { countsAsUse, NON_FINAL_PHASES } from './internal/counting-rule.js';
