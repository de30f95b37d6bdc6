/** Category of an AWS event, the schema's `category` with finer values for non-API events. */
export type AwsEventCategory =
  'management' | 'data' | 'network-activity' | 'sign-in' | 'service-event' | 'insight';

/** An AWS event that exercises no IAM permission of the principal who made it. */
export interface AwsNoPermissionEvent {
  readonly category: AwsEventCategory;
  readonly reason: string;
}

const CONSOLE_SIGN_IN: AwsNoPermissionEvent = {
  category: 'sign-in',
  reason:
    'console sign-in event: it records authentication, which IAM policies do not authorize ' +
    '(CloudTrail User Guide, "AWS Management Console sign-in events")',
};

const IDENTITY_CENTER_SIGN_IN: AwsNoPermissionEvent = {
  category: 'sign-in',
  reason:
    'IAM Identity Center sign-in or portal event: the caller presents a portal or OIDC ' +
    'token, not AWS credentials (IAM Identity Center User Guide, "Logging IAM Identity ' +
    'Center API calls with AWS CloudTrail")',
};

const FEDERATED_ASSUME_ROLE: AwsNoPermissionEvent = {
  category: 'management',
  reason:
    'called without AWS credentials: the role trust policy decides, not a permission of ' +
    'the caller (STS API Reference, AssumeRoleWithSAML and AssumeRoleWithWebIdentity)',
};

/**
 * Events that need no permission, keyed by `<IAM prefix>:<eventName>` and compared
 * case-insensitively. An event of `signin.amazonaws.com` is a sign-in when its `eventType`
 * is `AwsConsoleSignIn` or its name is listed here. Any other name that is no action of the
 * `signin` catalog is reported unmapped, so that a new kind of event is counted, not hidden.
 */
export const AWS_NO_PERMISSION_EVENTS: Readonly<Record<string, AwsNoPermissionEvent>> = {
  // CloudTrail User Guide, "AWS Management Console sign-in events" and "CloudTrail record
  // contents for sign-in events".
  'signin:ConsoleLogin': CONSOLE_SIGN_IN,
  'signin:CheckMfa': CONSOLE_SIGN_IN,
  'signin:SwitchRole': CONSOLE_SIGN_IN,
  'signin:ExitRole': CONSOLE_SIGN_IN,
  'signin:RenewRole': CONSOLE_SIGN_IN,
  'signin:AssumeRole': CONSOLE_SIGN_IN,
  'signin:GetSigninToken': CONSOLE_SIGN_IN,
  'signin:ExternalIdPDirectoryLogin': CONSOLE_SIGN_IN,
  'signin:PasswordUpdated': CONSOLE_SIGN_IN,
  'signin:CredentialChallenge': CONSOLE_SIGN_IN,
  'signin:CredentialVerification': CONSOLE_SIGN_IN,
  'signin:UserAuthentication': CONSOLE_SIGN_IN,

  // IAM Identity Center User Guide, "Logging IAM Identity Center API calls with AWS
  // CloudTrail": portal and OIDC calls authenticate with tokens.
  'sso:Authenticate': IDENTITY_CENTER_SIGN_IN,
  'sso:Federate': IDENTITY_CENTER_SIGN_IN,
  'sso:GetRoleCredentials': IDENTITY_CENTER_SIGN_IN,
  'sso:ListAccounts': IDENTITY_CENTER_SIGN_IN,
  'sso:ListAccountRoles': IDENTITY_CENTER_SIGN_IN,
  'sso:Logout': IDENTITY_CENTER_SIGN_IN,
  'sso:CreateToken': IDENTITY_CENTER_SIGN_IN,
  'sso-oauth:CreateToken': IDENTITY_CENTER_SIGN_IN,
  'sso-oauth:RegisterClient': IDENTITY_CENTER_SIGN_IN,
  'sso-oauth:StartDeviceAuthorization': IDENTITY_CENTER_SIGN_IN,

  // STS API Reference, GetCallerIdentity: "No permissions are required to perform this
  // operation"; an explicit deny of sts:GetCallerIdentity does not stop it.
  'sts:GetCallerIdentity': {
    category: 'management',
    reason: 'needs no permission (STS API Reference, GetCallerIdentity)',
  },
  // IAM User Guide, "Permissions for GetSessionToken": "No permissions are required for a
  // user to get a session token".
  'sts:GetSessionToken': {
    category: 'management',
    reason: 'needs no permission (IAM User Guide, "Permissions for GetSessionToken")',
  },
  'sts:AssumeRoleWithSAML': FEDERATED_ASSUME_ROLE,
  'sts:AssumeRoleWithWebIdentity': FEDERATED_ASSUME_ROLE,
};

/**
 * CloudTrail `eventType` values that record no call of a principal, from the CloudTrail
 * User Guide, "CloudTrail record contents" (`eventType`).
 */
export const AWS_NO_PERMISSION_EVENT_TYPES: Readonly<Record<string, AwsNoPermissionEvent>> = {
  // An event a service emitted itself: a key rotation, a snapshot shared with the account.
  awsserviceevent: {
    category: 'service-event',
    reason: 'AwsServiceEvent: the service generated the event, no principal called an API',
  },
  awsconsolesignin: CONSOLE_SIGN_IN,
  awscloudtrailinsight: {
    category: 'insight',
    reason: 'AwsCloudTrailInsight: an Insights event about call rates, not a call',
  },
};
