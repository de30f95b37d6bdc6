import { AWS_ASSUME_ROLE, AWS_ASSUME_ROLE_WEB_IDENTITY } from '../catalog/aws-catalog.js';
import type { ApiCall } from '../catalog/types.js';
import type { AwsAccount, Principal } from '../estate/model.js';
import { Prng } from '../prng.js';
import { BufferedFile } from '../sink.js';
import { resourcesOf } from './aws-resources.js';
import { buildCloudTrailRecord, buildConsoleLogin, regionFor } from './cloudtrail-record.js';
import type { RecordContext, UserIdentity } from './cloudtrail-record.js';
import { dayParts, notePlanted, withAttackSteps } from './context.js';
import type { GeneratorContext } from './context.js';
import { isActiveOn, planDay } from './schedule.js';
import type { PlannedCall } from './schedule.js';

const HOUR_MS = 3_600_000;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BROWSER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const CONSOLE_AGENT = 'AWS Internal';

/**
 * Writes one day of CloudTrail for one account: S3 delivery files per region and hour,
 * `{"Records":[...]}`, principal by principal. Only the current account's files are open.
 */
export async function writeAwsDay(
  context: GeneratorContext,
  account: AwsAccount,
  day: number,
  dayStart: number,
): Promise<void> {
  const files = new Map<string, { file: BufferedFile; first: boolean }>();
  const { yyyy, mm, dd } = dayParts(dayStart);

  const emit = async (
    region: string,
    time: number,
    record: Record<string, unknown>,
  ): Promise<void> => {
    const hour = Math.min(23, Math.max(0, Math.floor((time - dayStart) / HOUR_MS)));
    const key = `${region}|${hour}`;
    let entry = files.get(key);
    if (!entry) {
      const nameRng = new Prng(context.seed, 'cloudtrail-file', account.id, region, day, hour);
      const stamp = `${yyyy}${mm}${dd}T${String(hour).padStart(2, '0')}${String(5 + nameRng.int(50)).padStart(2, '0')}Z`;
      const suffix = nameRng.chars(
        16,
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      );
      const path = `aws/cloudtrail/AWSLogs/${account.id}/CloudTrail/${region}/${yyyy}/${mm}/${dd}/${account.id}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`;
      entry = { file: new BufferedFile(context.sink, path, context.stats), first: true };
      files.set(key, entry);
      await entry.file.write('{"Records":[');
    }
    await entry.file.write(entry.first ? JSON.stringify(record) : `,${JSON.stringify(record)}`);
    entry.first = false;
    context.events.aws++;
  };

  const accountIndex = context.estate.awsAccounts.indexOf(account);
  if (day === Math.min(context.estate.days - 1, 1 + accountIndex))
    await emitRootSignIn(context, account, day, dayStart, emit);

  for (const principal of context.estate.principals) {
    if (principal.aws?.accountId !== account.id) continue;
    const rng = new Prng(context.seed, 'activity', principal.key, day);
    const calls = withAttackSteps(
      context,
      principal,
      day,
      planDay(rng, principal, day, dayStart, context.eventsPerDay),
    );
    if (calls.length === 0) continue;
    const session = openSession(rng, context, principal, account, calls[0]?.time ?? dayStart, day);
    for (const pre of session.preamble) await emit(pre.region, pre.time, pre.record);
    for (const planned of calls) {
      const recordContext = contextFor(rng, principal, session, planned);
      const region = regionFor(
        planned.call,
        rng.chance(0.75) ? (principal.regions[0] as string) : rng.pick(principal.regions),
      );
      const { eventId, record } = buildCloudTrailRecord(
        rng,
        { ...recordContext, region },
        planned.call,
        planned.time,
        planned.denied,
        planned.detail,
      );
      notePlanted(context, planned, eventId, String(record.eventTime), recordContext.sourceIp);
      await emit(region, planned.time, record);
    }
  }
  for (const key of [...files.keys()].sort()) {
    const entry = files.get(key);
    if (!entry) continue;
    await entry.file.write(']}');
    await entry.file.close();
  }
}

interface Session {
  readonly identity: UserIdentity;
  readonly longTermIdentity: UserIdentity | undefined;
  readonly callerArn: string;
  readonly fromConsole: boolean;
  readonly userAgent: string;
  readonly sourceIp: string;
  readonly preamble: Array<{ region: string; time: number; record: Record<string, unknown> }>;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';

function openSession(
  rng: Prng,
  context: GeneratorContext,
  principal: Principal,
  account: AwsAccount,
  firstTime: number,
  day: number,
): Session {
  const aws = principal.aws;
  if (!aws) throw new Error(`principal ${principal.key} has no AWS identity`);
  const sourceIp = rng.pick(principal.ips);
  const creation = firstTime - (20 + rng.int(40)) * 1000;
  const preamble: Session['preamble'] = [];

  if (aws.kind === 'user') {
    const longTerm: UserIdentity = {
      type: 'IAMUser',
      principalId: aws.uniqueId,
      arn: aws.arn,
      accountId: account.id,
      accessKeyId: aws.accessKeyId,
      userName: aws.name,
    };
    if (aws.console && rng.chance(0.5)) {
      const signIn = buildConsoleLogin(
        rng,
        {
          account,
          identity: {
            type: 'IAMUser',
            principalId: aws.uniqueId,
            arn: aws.arn,
            accountId: account.id,
            userName: aws.name,
          },
          callerArn: aws.arn,
          region: 'us-east-1',
          sourceIp,
          userAgent: BROWSER_AGENT,
          fromConsole: false,
        },
        creation,
        aws.mfa,
      );
      preamble.push({ region: 'us-east-1', time: creation, record: signIn.record });
      return {
        identity: {
          ...longTerm,
          accessKeyId: `ASIA${rng.chars(16, KEY_ALPHABET)}`,
          sessionContext: {
            sessionIssuer: {},
            webIdFederationData: {},
            attributes: {
              creationDate: isoSeconds(creation),
              mfaAuthenticated: aws.mfa ? 'true' : 'false',
            },
          },
        },
        longTermIdentity: longTerm,
        callerArn: aws.arn,
        fromConsole: true,
        userAgent: CONSOLE_AGENT,
        sourceIp,
        preamble,
      };
    }
    return {
      identity: longTerm,
      longTermIdentity: longTerm,
      callerArn: aws.arn,
      fromConsole: false,
      userAgent: rng.pick(principal.userAgents.filter((a) => !a.startsWith('console'))),
      sourceIp,
      preamble,
    };
  }

  // A role: someone assumes it first, and that AssumeRole call is logged in this account.
  const pool = resourcesOf(account);
  let sessionName: string;
  let assumeRecord: Record<string, unknown>;
  let mfa = false;
  let webIdFederationData: Record<string, unknown> = {};
  const assumeTime = creation;
  const roleDetail = (name: string): Record<string, string> => ({
    roleArn: aws.arn,
    sessionName: name,
  });
  const build = (
    ctx: Omit<RecordContext, 'region'>,
    call: ApiCall,
    detail: Record<string, string>,
  ) =>
    buildCloudTrailRecord(
      rng,
      { ...ctx, region: principal.regions[0] as string },
      call,
      assumeTime,
      false,
      detail,
    ).record;

  // Only a user who is active that day assumes the role, so dormant and never-used users
  // stay silent in the logs.
  const assumers = aws.assumers.filter((user) => isActiveOn(user, day));
  if (aws.assumedBy === 'user' && assumers.length > 0) {
    const assumer = rng.pick(assumers);
    const assumerAws = assumer.aws;
    sessionName = assumer.name;
    mfa = assumerAws?.mfa ?? false;
    assumeRecord = build(
      {
        account,
        identity: {
          type: 'IAMUser',
          principalId: assumerAws?.uniqueId,
          arn: assumer.id,
          accountId: account.id,
          accessKeyId: assumerAws?.accessKeyId,
          userName: assumer.name,
        },
        callerArn: assumer.id,
        sourceIp: rng.pick(assumer.ips),
        userAgent: assumer.userAgents[1] ?? BROWSER_AGENT,
        fromConsole: false,
      },
      AWS_ASSUME_ROLE,
      roleDetail(sessionName),
    );
  } else if (aws.assumedBy === 'service') {
    const service = aws.servicePrincipal ?? 'lambda.amazonaws.com';
    sessionName = service.startsWith('ec2') ? rng.pick(pool.instances) : rng.pick(pool.functions);
    assumeRecord = build(
      {
        account,
        identity: { type: 'AWSService', invokedBy: service },
        callerArn: service,
        sourceIp: service,
        userAgent: service,
        fromConsole: false,
      },
      AWS_ASSUME_ROLE,
      roleDetail(sessionName),
    );
  } else if (aws.assumedBy === 'web-identity') {
    sessionName = 'GitHubActions';
    const subject = `repo:example-org/${account.alias}:ref:refs/heads/main`;
    webIdFederationData = {
      federatedProvider: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`,
      attributes: {},
    };
    assumeRecord = build(
      {
        account,
        identity: {
          type: 'WebIdentityUser',
          principalId: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:${subject}`,
          userName: subject,
          identityProvider: `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`,
        },
        callerArn: subject,
        sourceIp,
        userAgent:
          'aws-sdk-js/3.540.0 ua/2.1 os/linux#6.5.0-1017-azure lang/js md/nodejs#20.12.0 api/sts#3.540.0 configured-action/aws-actions/configure-aws-credentials',
        fromConsole: false,
      },
      AWS_ASSUME_ROLE_WEB_IDENTITY,
      roleDetail(sessionName),
    );
  } else {
    const trusted = aws.trustedAccountId ?? account.id;
    sessionName = 'security-audit';
    assumeRecord = build(
      {
        account,
        identity: {
          type: 'AWSAccount',
          principalId: `AROA${rng.chars(17, KEY_ALPHABET)}:${sessionName}`,
          accountId: trusted,
        },
        callerArn: `arn:aws:iam::${trusted}:root`,
        sourceIp,
        userAgent: principal.userAgents[0] ?? BROWSER_AGENT,
        fromConsole: false,
      },
      AWS_ASSUME_ROLE,
      { ...roleDetail(sessionName), externalId: `audit-${account.id}` },
    );
  }
  preamble.push({ region: principal.regions[0] as string, time: assumeTime, record: assumeRecord });

  const identity: UserIdentity = {
    type: 'AssumedRole',
    principalId: `${aws.uniqueId}:${sessionName}`,
    arn: `arn:aws:sts::${account.id}:assumed-role/${aws.name}/${sessionName}`,
    accountId: account.id,
    accessKeyId: `ASIA${rng.chars(16, KEY_ALPHABET)}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: aws.uniqueId,
        arn: aws.arn,
        accountId: account.id,
        userName: aws.name,
      },
      webIdFederationData,
      attributes: { creationDate: isoSeconds(creation), mfaAuthenticated: mfa ? 'true' : 'false' },
    },
  };
  return {
    identity,
    longTermIdentity: undefined,
    callerArn: String(identity.arn),
    fromConsole: false,
    userAgent: rng.pick(principal.userAgents),
    sourceIp,
    preamble,
  };
}

/** Picks the identity for one call: the session, the long-term key, or a service acting for it. */
function contextFor(
  rng: Prng,
  principal: Principal,
  session: Session,
  planned: PlannedCall,
): Omit<RecordContext, 'region'> & { account: AwsAccount } {
  const account = accountOf(principal);
  if (planned.sourceIp && session.longTermIdentity) {
    return {
      account,
      identity: session.longTermIdentity,
      callerArn: session.callerArn,
      sourceIp: planned.sourceIp,
      userAgent: planned.userAgent ?? session.userAgent,
      fromConsole: false,
    };
  }
  if (principal.human && !planned.call.readOnly && !planned.call.data && rng.chance(0.05)) {
    // CloudFormation calling on the caller's behalf (`invokedBy`).
    return {
      account,
      identity: { ...session.identity, invokedBy: 'cloudformation.amazonaws.com' },
      callerArn: session.callerArn,
      sourceIp: 'cloudformation.amazonaws.com',
      userAgent: 'cloudformation.amazonaws.com',
      fromConsole: false,
    };
  }
  return {
    account,
    identity: session.identity,
    callerArn: session.callerArn,
    sourceIp:
      planned.sourceIp ??
      (principal.human && rng.chance(0.1) ? rng.pick(principal.ips) : session.sourceIp),
    userAgent: planned.userAgent ?? session.userAgent,
    fromConsole: session.fromConsole,
  };
}

const accountsByPrincipal = new WeakMap<Principal, AwsAccount>();
let currentAccounts: readonly AwsAccount[] = [];

/** Registers the accounts of the estate being generated, for `accountOf`. */
export function useAwsAccounts(accounts: readonly AwsAccount[]): void {
  currentAccounts = accounts;
}

function accountOf(principal: Principal): AwsAccount {
  let account = accountsByPrincipal.get(principal);
  if (!account) {
    account = currentAccounts.find((a) => a.id === principal.aws?.accountId);
    if (!account) throw new Error(`no AWS account for ${principal.key}`);
    accountsByPrincipal.set(principal, account);
  }
  return account;
}

async function emitRootSignIn(
  context: GeneratorContext,
  account: AwsAccount,
  day: number,
  dayStart: number,
  emit: (region: string, time: number, record: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  const rng = new Prng(context.seed, 'root-sign-in', account.id, day);
  const time = dayStart + (7 * 60 + rng.int(120)) * 60_000;
  const { record } = buildConsoleLogin(
    rng,
    {
      account,
      identity: {
        type: 'Root',
        principalId: account.id,
        arn: `arn:aws:iam::${account.id}:root`,
        accountId: account.id,
        accessKeyId: '',
      },
      callerArn: `arn:aws:iam::${account.id}:root`,
      region: 'us-east-1',
      sourceIp: `203.0.113.${200 + rng.int(50)}`,
      userAgent: BROWSER_AGENT,
      fromConsole: false,
    },
    time,
    true,
  );
  await emit('us-east-1', time, record);
}
