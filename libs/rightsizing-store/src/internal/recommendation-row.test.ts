import { sampleResults } from '@ciem/rightsizing-reports/testing';
import { describe, expect, it } from 'vitest';
import { RECOMMENDATION_COLUMNS, toRecommendationRow } from './recommendation-row.js';
import { encodeRecommendationMessage } from './recommendation-sinks.js';

const [deployer, , azure, gcp] = sampleResults();

describe('toRecommendationRow', () => {
  it('fills every column', () => {
    const row = toRecommendationRow(deployer!, Date.UTC(2026, 11, 4, 0, 1));
    expect(Object.keys(row)).toEqual(RECOMMENDATION_COLUMNS);
  });

  it('converts times to seconds', () => {
    const row = toRecommendationRow(deployer!, Date.UTC(2026, 11, 4, 0, 1, 30, 999));
    expect(row.window_end).toBe(Date.UTC(2026, 11, 4) / 1000);
    expect(row.last_activity).toBe(Date.UTC(2026, 11, 1) / 1000);
    expect(row.written_at).toBe(Date.UTC(2026, 11, 4, 0, 1, 30) / 1000);
  });

  it('maps missing team and activity', () => {
    expect(toRecommendationRow(azure!, 0).team).toBe('');
    expect(toRecommendationRow(gcp!, 0).last_activity).toBe(0);
  });

  it('keeps risks parallel to permissions', () => {
    const row = toRecommendationRow(deployer!, 0);
    expect(row.unused_permissions).toEqual([
      'iam:CreateAccessKey',
      'iam:PutRolePolicy',
      's3:DeleteObject',
      's3:ListBucket',
    ]);
    expect(row.unused_risks).toEqual(['escalation', 'permissions-management', 'write', 'list']);
    expect(JSON.parse(row.result)).toEqual(deployer);
  });
});

describe('encodeRecommendationMessage', () => {
  it('keys by principal id', () => {
    const message = encodeRecommendationMessage(gcp!);
    expect(message.key).toBe('serviceAccount:batch@shop-prod.iam.gserviceaccount.com');
    expect(JSON.parse(String(message.value))).toEqual(gcp);
    expect(message.headers).toEqual({
      provider: 'gcp',
      account_id: 'shop-prod',
      window_end: String(Date.UTC(2026, 11, 4)),
    });
  });
});
