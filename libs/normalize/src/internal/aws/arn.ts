/**
 * ARN helpers for CloudTrail identities and resources. ARN layout follows the IAM User Guide,
 * "IAM identifiers": `arn:partition:service:region:account-id:resource`.
 */

/** The parts of an ARN; `resource` keeps every character after the fifth colon. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Splits an ARN into its parts, or returns undefined when the text is not an ARN. */
export function parseArn(text: string): ArnParts | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const partitionEnd = text.indexOf(':', 4);
  const serviceEnd = partitionEnd < 0 ? -1 : text.indexOf(':', partitionEnd + 1);
  const regionEnd = serviceEnd < 0 ? -1 : text.indexOf(':', serviceEnd + 1);
  const accountEnd = regionEnd < 0 ? -1 : text.indexOf(':', regionEnd + 1);
  if (accountEnd < 0) return undefined;
  const partition = text.slice(4, partitionEnd);
  const service = text.slice(partitionEnd + 1, serviceEnd);
  if (partition === '' || service === '') return undefined;
  return {
    partition,
    service,
    region: text.slice(serviceEnd + 1, regionEnd),
    account: text.slice(regionEnd + 1, accountEnd),
    resource: text.slice(accountEnd + 1),
  };
}

/**
 * True when the text parses as an ARN. Resource rules test several values per record, so
 * this checks the colons that {@link parseArn} needs without building its parts.
 */
export function isArn(text: string): boolean {
  return serviceEndOf(text) >= 0;
}

/** Returns the service of an ARN, as {@link parseArn} reads it, without its other parts. */
export function serviceOfArn(text: string): string | undefined {
  const serviceEnd = serviceEndOf(text);
  if (serviceEnd < 0) return undefined;
  return text.slice(text.indexOf(':', 4) + 1, serviceEnd);
}

/**
 * Returns the index of the colon after an ARN's service, or -1 when {@link parseArn} would
 * reject the text: no `arn:` prefix, fewer than five colons, or an empty partition or
 * service.
 */
function serviceEndOf(text: string): number {
  if (!text.startsWith('arn:')) return -1;
  const partitionEnd = text.indexOf(':', 4);
  if (partitionEnd <= 4) return -1;
  const serviceEnd = text.indexOf(':', partitionEnd + 1);
  if (serviceEnd <= partitionEnd + 1) return -1;
  const regionEnd = text.indexOf(':', serviceEnd + 1);
  if (regionEnd < 0 || text.indexOf(':', regionEnd + 1) < 0) return -1;
  return serviceEnd;
}

/**
 * Picks the partition from a region name, because records without an ARN still need one to
 * build ARNs: China regions (`cn-*`) are `aws-cn`, GovCloud (`us-gov-*`) is `aws-us-gov`.
 */
export function partitionOfRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The parts of an assumed-role ARN: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
export interface AssumedRoleArn {
  partition: string;
  account: string;
  roleName: string;
  /** Empty when the ARN ends after the role name. */
  sessionName: string;
}

const ASSUMED_ROLE_PREFIX = 'assumed-role/';
// A session name never contains a line break, so an ARN with one is rejected.
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * Parses an assumed-role ARN, or returns undefined for any other ARN. The service may be
 * `sts` (what CloudTrail writes) or `iam` (the Service Authorization Reference lists an
 * `iam` assumed-role resource type, and some exporters write that form).
 */
export function parseAssumedRoleArn(text: string): AssumedRoleArn | undefined {
  const arn = parseArn(text);
  return arn === undefined ? undefined : assumedRoleOf(arn);
}

/** Reads an ARN already split by {@link parseArn} as an assumed-role ARN. */
export function assumedRoleOf(arn: ArnParts): AssumedRoleArn | undefined {
  if (arn.service !== 'sts' && arn.service !== 'iam') return undefined;
  const resource = arn.resource;
  if (!resource.startsWith(ASSUMED_ROLE_PREFIX)) return undefined;
  // `assumed-role/ROLE` or `assumed-role/ROLE/SESSION`; the session name may contain `/`.
  const roleEnd = resource.indexOf('/', ASSUMED_ROLE_PREFIX.length);
  const roleName = resource.slice(
    ASSUMED_ROLE_PREFIX.length,
    roleEnd < 0 ? resource.length : roleEnd,
  );
  const sessionName = roleEnd < 0 ? '' : resource.slice(roleEnd + 1);
  if (roleName === '' || LINE_TERMINATOR.test(sessionName)) return undefined;
  return { partition: arn.partition, account: arn.account, roleName, sessionName };
}

/**
 * Builds the IAM role ARN behind an assumed-role ARN.
 *
 * NOTE: an STS assumed-role ARN drops the role's path, so a role created under a path
 * (`role/service-role/x`, `role/aws-reserved/sso.amazonaws.com/...`) gets a path-less ARN
 * here that will not match its IAM ARN. Records normally carry `sessionIssuer.arn`, which
 * has the path, and this is used only when it is missing.
 */
export function roleArnOfAssumedRole(session: AssumedRoleArn): string {
  return `arn:${session.partition}:iam::${session.account}:role/${session.roleName}`;
}

/** Returns the last `/`-separated segment of an ARN's resource part (a user or role name). */
export function lastResourceSegment(text: string): string | undefined {
  const arn = parseArn(text);
  if (arn === undefined) return undefined;
  const segment = arn.resource.split('/').pop();
  return segment === undefined || segment === '' ? undefined : segment;
}
