import type { AwsAccount } from '../estate/model.js';
import { Prng } from '../prng.js';

/** Stable resource names of one account, drawn once from its id. */
export interface AwsResourcePool {
  readonly instances: readonly string[];
  readonly functions: readonly string[];
  readonly tables: readonly string[];
  readonly queues: readonly string[];
  readonly keys: readonly string[];
  readonly parameters: readonly string[];
  readonly secrets: readonly string[];
  readonly repositories: readonly string[];
  readonly amis: readonly string[];
}

const pools = new WeakMap<AwsAccount, AwsResourcePool>();

export function resourcesOf(account: AwsAccount): AwsResourcePool {
  let pool = pools.get(account);
  if (pool) return pool;
  const rng = new Prng('aws-resources', account.id);
  const team = account.team;
  pool = {
    instances: Array.from({ length: 6 }, () => `i-0${rng.hex(16)}`),
    functions: ['orders-handler', 'thumbnailer', 'nightly-export', 'webhook-ingest'].map(
      (f) => `${team}-${f}`,
    ),
    tables: ['orders', 'sessions', 'customers'].map((t) => `${team}-${t}`),
    queues: ['jobs', 'events-dlq'].map((q) => `${team}-${q}`),
    keys: [rng.uuid(), rng.uuid()],
    parameters: ['/app/database/url', '/app/feature-flags', '/app/api/token'].map(
      (p) => `/${team}${p}`,
    ),
    secrets: ['db-password', 'stripe-api-key'].map(
      (s) => `${team}/${s}-${rng.chars(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
    ),
    repositories: ['api', 'worker'].map((r) => `${team}/${r}`),
    amis: [`ami-0${rng.hex(16)}`],
  };
  pools.set(account, pool);
  return pool;
}
