import { describe, expect, it } from 'vitest';
import { permissionWeight } from './sensitivity.js';

describe('permissionWeight', () => {
  // Cloud KMS audit logging and Cloud SQL audit logging record these as DATA_READ, so the
  // read rule alone would weigh them 0; each hands out data a principal did not read before.
  it.each([
    'cloudkms.cryptoKeyVersions.useToDecrypt',
    'cloudkms.cryptoKeyVersions.useToSign',
    'cloudsql.instances.export',
  ])('weighs GCP data read %s medium', (permission) => {
    expect(permissionWeight('gcp', permission)).toBe(2);
  });

  it('weighs a GCP object read zero', () => {
    expect(permissionWeight('gcp', 'storage.objects.get')).toBe(0);
  });

  it('weighs AWS kms:Decrypt medium', () => {
    expect(permissionWeight('aws', 'kms:Decrypt')).toBe(2);
  });
});
