import { describe, expect, it } from 'vitest';
import { formatMappingSummary, summarizeMapping } from './summary.js';
import type { MappingOutcome } from './types.js';

const aws = (
  status: MappingOutcome['status'],
  source: string,
  operation: string,
  reason?: string,
): MappingOutcome => ({ provider: 'aws', status, source, operation, reason });

describe('summarizeMapping', () => {
  it('counts statuses and groups unmapped', () => {
    const summary = summarizeMapping([
      aws('mapped', 's3.amazonaws.com', 'GetObject'),
      aws('mapped', 's3.amazonaws.com', 'PutObject'),
      aws('mapped', 'ec2.amazonaws.com', 'RunInstances'),
      aws('no-permission', 'signin.amazonaws.com', 'ConsoleLogin'),
      aws('unmapped', 'x.amazonaws.com', 'DoThing', 'no service'),
      aws('unmapped', 'x.amazonaws.com', 'DoThing', 'no service'),
      aws('unmapped', 'ec2.amazonaws.com', 'LaunchRocket', 'not in catalog'),
    ]);
    expect(summary.total).toBe(7);
    expect(summary.mapped).toBe(3);
    expect(summary.noPermission).toBe(1);
    expect(summary.unmapped).toBe(3);
    expect(summary.mappedShare).toBe(0.5);
    expect(summary.unmappedOperations).toEqual([
      {
        provider: 'aws',
        source: 'x.amazonaws.com',
        operation: 'DoThing',
        count: 2,
        reason: 'no service',
      },
      {
        provider: 'aws',
        source: 'ec2.amazonaws.com',
        operation: 'LaunchRocket',
        count: 1,
        reason: 'not in catalog',
      },
    ]);
  });

  it('reports full share when empty', () => {
    const summary = summarizeMapping([]);
    expect(summary.total).toBe(0);
    expect(summary.mappedShare).toBe(1);
  });

  it('formats one line per operation', () => {
    const text = formatMappingSummary(
      summarizeMapping([
        aws('mapped', 's3.amazonaws.com', 'GetObject'),
        aws('unmapped', '', 'DeleteBucket', 'eventSource is missing or empty'),
      ]),
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('unmapped: 1');
    expect(lines[0]).toContain('50.0%');
    expect(lines[1]).toContain('(no source)');
    expect(lines[1]).toContain('DeleteBucket');
  });
});
