import { describe, expect, it } from 'vitest';
import { summarizeMapping } from './summary.js';
import type { MappingOutcome } from './types.js';
import { unmappedReasonOf } from './unmapped-reason.js';

const unmapped = (
  provider: MappingOutcome['provider'],
  source: string,
  operation: string,
): MappingOutcome => ({ provider, status: 'unmapped', source, operation });

describe('unmappedReasonOf', () => {
  it('keeps a reason the outcome has', () => {
    const outcome = { ...unmapped('aws', 's3', 'X'), reason: 'given' };
    expect(unmappedReasonOf(outcome)).toBe('given');
  });

  it('names an unknown AWS event source', () => {
    const host = unmappedReasonOf(unmapped('aws', 'rockets.amazonaws.com', 'Launch'));
    const label = unmappedReasonOf(unmapped('aws', 'rockets', 'Launch'));
    expect(host).toMatch(/^event source not known: rockets\.amazonaws\.com/);
    expect(label).toMatch(/^event source not known: rockets /);
  });

  it('names an AWS operation outside the tables', () => {
    const fromPrefix = unmappedReasonOf(unmapped('aws', 'ec2', 'LaunchRocket'));
    const fromHost = unmappedReasonOf(unmapped('aws', 'monitoring.amazonaws.com', 'Fly'));
    expect(fromPrefix).toBe(
      'operation not in the mapping tables: ec2:LaunchRocket is not an action of the AWS catalog',
    );
    expect(fromHost).toContain('cloudwatch:Fly is not an action');
  });

  it('names AWS calls decided by requests', () => {
    const reason = unmappedReasonOf(unmapped('aws', 'dynamodb', 'TransactWriteItems'));
    expect(reason).toContain('request parameters of dynamodb:TransactWriteItems');
  });

  it('names AWS catalog actions left unmapped', () => {
    const reason = unmappedReasonOf(unmapped('aws', 's3', 'GetObject'));
    expect(reason).toContain('console action');
  });

  it('names missing AWS fields', () => {
    expect(unmappedReasonOf(unmapped('aws', 's3', ''))).toBe('eventName is missing or empty');
    expect(unmappedReasonOf(unmapped('aws', '', 'GetObject'))).toBe(
      'eventSource is missing or empty',
    );
  });

  it('names malformed Azure operations', () => {
    const malformed = unmappedReasonOf(unmapped('azure', '', 'Delete Virtual Machine'));
    const wellFormed = unmappedReasonOf(
      unmapped('azure', 'Microsoft.Compute', 'Microsoft.Compute/virtualMachines/write'),
    );
    expect(malformed).toContain('Delete Virtual Machine is not of the form');
    expect(wellFormed).toContain('authorization action of Microsoft.Compute');
    expect(unmappedReasonOf(unmapped('azure', '', ''))).toBe('operationName is missing or empty');
  });

  it('names GCP entries without permissions', () => {
    const reason = unmappedReasonOf(unmapped('gcp', 'compute.googleapis.com', 'v1.x.Get'));
    expect(reason).toMatch(/^no permission in authorizationInfo/);
    expect(unmappedReasonOf(unmapped('gcp', 'x', ''))).toBe('methodName is missing or empty');
  });

  it('gives every summary group a reason', () => {
    const summary = summarizeMapping([
      unmapped('aws', 'ec2', 'LaunchRocket'),
      unmapped('azure', '', 'Delete Virtual Machine'),
      unmapped('gcp', 'compute.googleapis.com', 'v1.x.Get'),
    ]);
    for (const entry of summary.unmappedOperations) {
      expect(entry.reason, entry.operation).toMatch(
        /^(operation not in|authorization action|operationName|no permission)/,
      );
    }
  });
});
