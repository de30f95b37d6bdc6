import { describe, expect, it } from 'vitest';
import { readCloudTrailCategory, readCloudTrailOutcome } from './outcome.js';

describe('readCloudTrailOutcome', () => {
  it.each([
    ['AccessDenied', 'denied'],
    ['AccessDeniedException', 'denied'],
    ['Client.UnauthorizedOperation', 'denied'],
    ['UnauthorizedOperation', 'denied'],
    ['AuthorizationError', 'denied'],
    ['AuthorizationErrorException', 'denied'],
    ['Forbidden', 'denied'],
    ['KMS.AccessDeniedException', 'denied'],
    ['NoSuchEntityException', 'failed'],
    ['TrailNotFoundException', 'failed'],
    ['ThrottlingException', 'failed'],
  ] as const)('classifies errorCode %s', (errorCode, outcome) => {
    const result = readCloudTrailOutcome({ errorCode, errorMessage: 'from the service' });
    expect(result.outcome).toBe(outcome);
    expect(result.error_code).toBe(errorCode);
    expect(result.error_message).toBe('from the service');
  });

  it('fails a ConsoleLogin Failure response', () => {
    const result = readCloudTrailOutcome({
      eventName: 'ConsoleLogin',
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
    });
    expect(result).toEqual({
      outcome: 'failed',
      error_code: null,
      error_message: 'Failed authentication',
    });
  });

  it('succeeds without an error', () => {
    const result = readCloudTrailOutcome({ responseElements: { ConsoleLogin: 'Success' } });
    expect(result).toEqual({ outcome: 'success', error_code: null, error_message: null });
  });
});

describe('readCloudTrailCategory', () => {
  it.each([
    [{ eventCategory: 'Data', eventSource: 's3.amazonaws.com' }, 'data'],
    [{ eventCategory: 'NetworkActivity', eventSource: 'kms.amazonaws.com' }, 'data'],
    [{ eventCategory: 'Management', eventName: 'ConsoleLogin' }, 'sign-in'],
    [{ eventSource: 'signin.amazonaws.com', eventName: 'CredentialVerification' }, 'sign-in'],
    [{ eventType: 'AwsConsoleSignIn', eventName: 'CheckMfa' }, 'sign-in'],
    [{ eventCategory: 'Management', eventSource: 'iam.amazonaws.com' }, 'management'],
    [{ eventCategory: 'Insight', eventType: 'AwsCloudTrailInsight' }, 'management'],
  ] as const)('classifies %j', (record, category) => {
    expect(readCloudTrailCategory({ ...record })).toBe(category);
  });
});
