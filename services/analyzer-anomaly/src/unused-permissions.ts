import { HIGH_RISK_CLASSES } from '@ciem/anomaly';
import type { UnusedPermissionEntry } from '@ciem/anomaly';
import type { ClickHouse } from '@ciem/clickhouse';
import { quoteString } from '@ciem/clickhouse';

interface UnusedRow {
  principal_id: string;
  permissions: string[];
  risks: string[];
  window_end: number;
}

/**
 * Reads each principal's latest right-sizing result from `<database>.recommendations`
 * (schemas/clickhouse/0005_recommendations.sql): the row with the latest `window_end`, and of
 * its unused permissions only the high-risk classes (`HIGH_RISK_CLASSES`), filtered in
 * ClickHouse so that reads and lists never cross the network.
 *
 * NOTE: the whole result is kept in memory, tens of bytes per high-risk unused permission
 * of every principal. An estate with millions of them needs a per-partition reader.
 */
export async function readUnusedPermissions(
  clickhouse: ClickHouse,
  database: string,
): Promise<UnusedPermissionEntry[]> {
  const risks = `[${[...HIGH_RISK_CLASSES].map((risk) => quoteString(risk)).join(', ')}]`;
  const rows = await clickhouse.query<UnusedRow>(
    `SELECT principal_id,
       arrayFilter((p, r) -> has(${risks}, r), latest_permissions, latest_risks) AS permissions,
       arrayFilter(r -> has(${risks}, r), latest_risks) AS risks,
       toUInt32(latest_window_end) AS window_end
     FROM (
       SELECT principal_id,
         max(window_end) AS latest_window_end,
         argMax(unused_permissions, window_end) AS latest_permissions,
         argMax(unused_risks, window_end) AS latest_risks
       FROM ${database}.recommendations
       GROUP BY principal_id
     )
     WHERE notEmpty(permissions)`,
  );
  return rows.map((row) => ({
    principalId: row.principal_id,
    windowEnd: Number(row.window_end) * 1000,
    unused: row.permissions.map((permission, index) => ({
      permission,
      risk: row.risks[index] ?? 'unknown',
    })),
  }));
}
