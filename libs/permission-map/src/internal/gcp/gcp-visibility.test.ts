import { describe, expect, it } from 'vitest';
import { classifyGcpPermission, gcpPermissionVisibility } from './gcp-visibility.js';

// Cloud Audit Logs overview: Admin Activity logs are always written; Data Access logs
// (ADMIN_READ, DATA_READ, DATA_WRITE) only when enabled, except for BigQuery.
describe('gcpPermissionVisibility', () => {
  it('logs admin writes always', () => {
    expect(gcpPermissionVisibility('compute.instances.create')).toBe('logged');
    expect(gcpPermissionVisibility('resourcemanager.projects.setIamPolicy')).toBe('logged');
  });

  it('marks configuration reads as data access', () => {
    expect(classifyGcpPermission('compute.instances.get')).toBe('ADMIN_READ');
    expect(classifyGcpPermission('resourcemanager.projects.getIamPolicy')).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility('compute.instances.list')).toBe('data-event');
  });

  it('classifies user data access', () => {
    expect(classifyGcpPermission('storage.objects.get')).toBe('DATA_READ');
    expect(classifyGcpPermission('storage.objects.create')).toBe('DATA_WRITE');
    expect(classifyGcpPermission('secretmanager.versions.access')).toBe('DATA_READ');
    expect(gcpPermissionVisibility('storage.objects.create')).toBe('data-event');
  });

  it('keeps BigQuery data access logged', () => {
    expect(gcpPermissionVisibility('bigquery.tables.getData')).toBe('logged');
  });

  it('uses the log type when given', () => {
    expect(
      gcpPermissionVisibility('compute.instances.get', {
        logType: 'projects/p1/logs/cloudaudit.googleapis.com%2Factivity',
      }),
    ).toBe('logged');
    expect(gcpPermissionVisibility('compute.instances.delete', { logType: 'data_access' })).toBe(
      'data-event',
    );
    expect(gcpPermissionVisibility('storage.objects.get', { logType: 'ADMIN_WRITE' })).toBe(
      'logged',
    );
    expect(gcpPermissionVisibility('storage.buckets.get', { logType: 'DATA_READ' })).toBe(
      'data-event',
    );
  });
});

// Service Account Credentials audit logging
// (https://cloud.google.com/iam/docs/audit-logging/audit-logging-iamcreds): GenerateAccessToken,
// GenerateIdToken, SignBlob and SignJwt check ADMIN_READ permissions, so they are written
// to Data Access audit logs, which are off by default.
describe('gcpPermissionVisibility of service account credentials', () => {
  it.each([
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.getOpenIdToken',
    'iam.serviceAccounts.signBlob',
    'iam.serviceAccounts.signJwt',
  ])('classifies %s as admin read', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });
});

// "Compute Engine audit logging" (https://cloud.google.com/compute/docs/logging/audit-logging):
// read-only methods such as get, list and aggregated list write Data Access logs, and
// instances.getSerialPortOutput writes a DATA_READ log because it reads data from the VM.
describe('gcpPermissionVisibility of compound read verbs', () => {
  it.each([
    'compute.instances.getEffectiveFirewalls',
    'compute.instances.getGuestAttributes',
    'compute.instances.listReferrers',
    'compute.instances.listEffectiveTags',
  ])('classifies %s as admin read', (permission) => {
    expect(classifyGcpPermission(permission)).toBe('ADMIN_READ');
    expect(gcpPermissionVisibility(permission)).toBe('data-event');
  });

  it('classifies serial port output as data read', () => {
    expect(classifyGcpPermission('compute.instances.getSerialPortOutput')).toBe('DATA_READ');
    expect(gcpPermissionVisibility('compute.instances.getSerialPortOutput')).toBe('data-event');
  });
});
