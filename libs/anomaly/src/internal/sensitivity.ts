import type { NormalizedEvent } from '@ciem/events';
import { classifyGcpPermission, lookupAwsAction } from '@ciem/permission-map';

/**
 * Weight of a first use of a permission: 0 suppressed, 1 low, 2 medium, 3 high. Reads and
 * lists of any service weigh 0 because principals browse new services all the time; reads
 * that return secrets or keys weigh 2; writes weigh 2; permission management weighs 3.
 */
export type PermissionWeight = 0 | 1 | 2 | 3;

const SECRET_READS = [
  /^secretsmanager:getsecretvalue$/,
  /^ssm:getparameters?(bypath)?$/,
  /^kms:decrypt$/,
  /^iam:.*accesskey/,
  /^sts:getfederationtoken$/,
  /^microsoft\.[a-z]+\/.*\/listkeys\/action$/,
  /^microsoft\.keyvault\/vaults\/secrets\/.*read/,
  /^secretmanager\.versions\.access$/,
  // Cloud KMS logs decrypt and sign as data reads ("Cloud KMS audit logging"), like kms:Decrypt
  // they hand out what a key protects.
  /^cloudkms\.cryptokeyversions\.usetodecrypt$/,
  /^cloudkms\.cryptokeyversions\.usetosign$/,
  // Cloud SQL logs an instance export as a data read ("Cloud SQL audit logging"), and it
  // copies a whole database out to Cloud Storage.
  /^cloudsql\.instances\.export$/,
  /^iam\.serviceaccounts\.(getaccesstoken|signblob|signjwt|actas)$/,
  /^iam\.serviceaccountkeys\.create$/,
];

/** Returns the weight of the first successful use of `permission` by a principal. */
export function permissionWeight(
  provider: NormalizedEvent['provider'],
  permission: string,
): PermissionWeight {
  const lower = permission.toLowerCase();
  if (SECRET_READS.some((pattern) => pattern.test(lower))) return 2;
  if (provider === 'aws') {
    const level = lookupAwsAction(permission)?.accessLevel;
    if (level === 'Permissions management') return 3;
    if (level === 'Write') return 2;
    if (level === 'Tagging') return 0;
    if (level === undefined)
      return lower.includes(':get') || lower.includes(':list') || lower.includes(':describe')
        ? 0
        : 1;
    return 0;
  }
  if (provider === 'azure') {
    if (lower.startsWith('microsoft.authorization/') && !lower.endsWith('/read')) return 3;
    if (lower.endsWith('/read')) return 0;
    return 2;
  }
  if (lower.endsWith('.setiampolicy') || lower.startsWith('iam.roles.')) return 3;
  const logType = classifyGcpPermission(lower);
  return logType === 'ADMIN_WRITE' || logType === 'DATA_WRITE' ? 2 : 0;
}

/** Returns the severity a permission weight maps to. */
export function severityOfWeight(weight: PermissionWeight): 'low' | 'medium' | 'high' {
  if (weight >= 3) return 'high';
  if (weight === 2) return 'medium';
  return 'low';
}
