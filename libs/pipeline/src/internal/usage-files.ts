import type { UsageStore } from '@ciem/usage';
import { LineWriter, csvField } from './ndjson-writer.js';

const USAGE_COLUMNS = [
  'provider',
  'account_id',
  'principal_id',
  'permission',
  'visibility',
  'allowed_count',
  'denied_count',
  'first_seen',
  'last_seen',
  'resources',
] as const;

const PRINCIPAL_COLUMNS = [
  'provider',
  'account_id',
  'principal_id',
  'principal_type',
  'principal_name',
  'event_count',
  'unmapped_count',
  'first_seen',
  'last_seen',
] as const;

/**
 * Writes `usage.csv` (one row per principal and permission) and `principals.csv` (one row
 * per principal). Times are ISO 8601 UTC; resources are joined with spaces.
 */
export async function writeUsageFiles(
  store: UsageStore,
  paths: { usage: string; principals: string },
): Promise<void> {
  const usage = new LineWriter(paths.usage);
  await usage.writeLine(USAGE_COLUMNS.join(','));
  for (const row of store.permissionUsage()) {
    await usage.writeLine(
      [
        row.provider,
        row.account_id,
        row.principal_id,
        row.permission,
        row.visibility,
        row.allowed_count,
        row.denied_count,
        new Date(row.first_seen).toISOString(),
        new Date(row.last_seen).toISOString(),
        row.resources.join(' '),
      ]
        .map(csvField)
        .join(','),
    );
  }
  await usage.close();

  const principals = new LineWriter(paths.principals);
  await principals.writeLine(PRINCIPAL_COLUMNS.join(','));
  for (const row of store.principalActivity()) {
    await principals.writeLine(
      [
        row.provider,
        row.account_id,
        row.principal_id,
        row.principal_type,
        row.principal_name,
        row.event_count,
        row.unmapped_count,
        new Date(row.first_seen).toISOString(),
        new Date(row.last_seen).toISOString(),
      ]
        .map(csvField)
        .join(','),
    );
  }
  await principals.close();
}
