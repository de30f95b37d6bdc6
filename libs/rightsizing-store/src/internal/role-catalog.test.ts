import type { GcpCustomRolesSupportLevel } from '@ciem/entitlements';
import { describe, expect, it } from 'vitest';
import { mergeSupportLevels, toCandidateRole } from './role-catalog.js';

describe('toCandidateRole', () => {
  it('maps a GCP row without id', () => {
    expect(
      toCandidateRole({
        provider: 'gcp',
        role_name: 'roles/storage.objectViewer',
        role_id: '',
        actions: ['storage.objects.get', 'storage.objects.list'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      }),
    ).toEqual({
      provider: 'gcp',
      name: 'roles/storage.objectViewer',
      actions: ['storage.objects.get', 'storage.objects.list'],
      not_actions: [],
      data_actions: [],
      not_data_actions: [],
    });
  });

  it('maps an Azure row with id', () => {
    const id =
      '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7';
    expect(
      toCandidateRole({
        provider: 'azure',
        role_name: 'Reader',
        role_id: id,
        actions: ['*/read'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      }),
    ).toEqual({
      provider: 'azure',
      name: 'Reader',
      id,
      actions: ['*/read'],
      not_actions: [],
      data_actions: [],
      not_data_actions: [],
    });
  });

  it('skips an AWS row', () => {
    expect(
      toCandidateRole({
        provider: 'aws',
        role_name: 'ReadOnlyAccess',
        role_id: '',
        actions: ['s3:Get*'],
        not_actions: [],
        data_actions: [],
        not_data_actions: [],
      }),
    ).toBeUndefined();
  });
});

describe('mergeSupportLevels', () => {
  it('keeps the more restrictive level', () => {
    const levels = new Map<string, GcpCustomRolesSupportLevel>();
    mergeSupportLevels(levels, [
      { permission: 'storage.objects.get', support_level: 'SUPPORTED' },
      { permission: 'compute.instances.start', support_level: 'NOT_SUPPORTED' },
    ]);
    mergeSupportLevels(levels, [
      { permission: 'storage.objects.get', support_level: 'TESTING' },
      { permission: 'compute.instances.start', support_level: 'SUPPORTED' },
    ]);
    expect(levels.get('storage.objects.get')).toBe('TESTING');
    expect(levels.get('compute.instances.start')).toBe('NOT_SUPPORTED');
  });

  it('skips an unknown level', () => {
    const levels = new Map<string, GcpCustomRolesSupportLevel>();
    mergeSupportLevels(levels, [
      {
        permission: 'storage.objects.get',
        support_level: 'CUSTOM_ROLES_SUPPORT_LEVEL_UNSPECIFIED',
      },
    ]);
    expect(levels.has('storage.objects.get')).toBe(false);
  });
});
