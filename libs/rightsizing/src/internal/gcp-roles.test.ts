import { describe, expect, it } from 'vitest';
import { prepareRoles } from './candidate-roles.js';
import { coverWithRoles } from './gcp-roles.js';
import type { CandidateRole } from './types.js';

function gcpRole(name: string, permissions: string[]): CandidateRole {
  return {
    provider: 'gcp',
    name,
    actions: permissions,
    not_actions: [],
    data_actions: [],
    not_data_actions: [],
  };
}

const objectViewer = gcpRole('roles/storage.objectViewer', [
  'storage.objects.get',
  'storage.objects.list',
]);
const instanceAdmin = gcpRole('roles/compute.instanceAdmin', [
  'compute.instances.list',
  'compute.instances.start',
  'compute.instances.stop',
]);
// Basic roles are highly permissive and span every service, so a least-privilege set takes
// the narrower predefined roles ("IAM basic and predefined roles reference",
// https://cloud.google.com/iam/docs/understanding-roles).
const editor = gcpRole('roles/editor', [
  ...objectViewer.actions,
  ...instanceAdmin.actions,
  'compute.instances.delete',
  'compute.disks.delete',
  'pubsub.topics.delete',
  'storage.buckets.delete',
  'storage.objects.delete',
]);

describe('coverWithRoles', () => {
  it('prefers narrow roles to basic role', () => {
    const needed = new Set(['storage.objects.get', 'compute.instances.start']);
    const cover = coverWithRoles(needed, prepareRoles([objectViewer, instanceAdmin, editor]));
    expect(cover?.roles).toEqual(['roles/compute.instanceAdmin', 'roles/storage.objectViewer']);
    expect(cover?.extras).toEqual([
      'compute.instances.list',
      'compute.instances.stop',
      'storage.objects.list',
    ]);
  });

  it('covers every needed permission', () => {
    const needed = new Set([
      'storage.objects.get',
      'compute.instances.start',
      'pubsub.topics.delete',
    ]);
    const cover = coverWithRoles(needed, prepareRoles([objectViewer, instanceAdmin, editor]));
    for (const permission of needed) expect(cover?.granted.has(permission)).toBe(true);
  });

  it('returns undefined for uncovered permission', () => {
    const needed = new Set(['storage.objects.get', 'spanner.databases.read']);
    expect(coverWithRoles(needed, prepareRoles([objectViewer, editor]))).toBeUndefined();
  });
});
