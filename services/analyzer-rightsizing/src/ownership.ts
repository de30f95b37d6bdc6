import { readFileSync } from 'node:fs';
import type { ConfigValues } from '@ciem/config';
import type { OwnershipOptions } from '@ciem/rightsizing';
import type { rightsizingSchema } from './config.js';

/** Values of the analyzer-rightsizing service's configuration. */
export type RightsizingConfig = ConfigValues<typeof rightsizingSchema>;

/** Ownership options, or the problems that stop the service at start. */
export interface OwnershipResult {
  ownership: OwnershipOptions;
  problems: string[];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

function readOwnershipFile(file: string, problems: string[]): OwnershipOptions {
  const variable = 'CIEM_RIGHTSIZING_OWNERSHIP_FILE';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(
      `${variable}: expected a readable JSON file, received ${JSON.stringify(file)}: ${(error as Error).message}`,
    );
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`${variable}: expected a JSON object in ${JSON.stringify(file)}`);
    return {};
  }
  const { accountTeams, tagKeys } = parsed as { accountTeams?: unknown; tagKeys?: unknown };
  const options: OwnershipOptions = {};
  if (accountTeams !== undefined) {
    if (isStringRecord(accountTeams)) options.accountTeams = accountTeams;
    else
      problems.push(
        `${variable}: expected "accountTeams" to map account ids to team names in ${JSON.stringify(file)}`,
      );
  }
  if (tagKeys !== undefined) {
    if (Array.isArray(tagKeys) && tagKeys.every((key) => typeof key === 'string')) {
      options.tagKeys = tagKeys as string[];
    } else {
      problems.push(
        `${variable}: expected "tagKeys" to be an array of strings in ${JSON.stringify(file)}`,
      );
    }
  }
  return options;
}

/**
 * Builds the ownership options from `CIEM_RIGHTSIZING_OWNERSHIP_FILE`, then
 * `CIEM_RIGHTSIZING_ACCOUNT_TEAMS` (whose pairs override the file's) and
 * `CIEM_RIGHTSIZING_TEAM_TAG_KEYS` (used unless the file names tag keys). Returns one line
 * per problem, worded like the configuration loader's messages.
 */
export function loadOwnership(config: RightsizingConfig): OwnershipResult {
  const problems: string[] = [];
  const fromFile =
    config.ownershipFile === undefined ? {} : readOwnershipFile(config.ownershipFile, problems);
  const accountTeams: Record<string, string> = { ...fromFile.accountTeams };
  for (const pair of config.accountTeams) {
    const separator = pair.indexOf('=');
    const account = pair.slice(0, separator).trim();
    const team = pair.slice(separator + 1).trim();
    if (separator <= 0 || account === '' || team === '') {
      problems.push(
        `CIEM_RIGHTSIZING_ACCOUNT_TEAMS: expected \`account=team\` pairs, received ${JSON.stringify(pair)}`,
      );
      continue;
    }
    accountTeams[account] = team;
  }
  return {
    ownership: { accountTeams, tagKeys: fromFile.tagKeys ?? config.teamTagKeys },
    problems,
  };
}

/**
 * Checks the delivery settings that depend on each other: a webhook needs its secret, and
 * email needs a sender and recipients.
 */
export function checkDelivery(config: RightsizingConfig): string[] {
  const problems: string[] = [];
  if (config.webhookUrl !== undefined && config.webhookSecret === undefined) {
    problems.push(
      'CIEM_RIGHTSIZING_WEBHOOK_SECRET: expected a secret (or CIEM_RIGHTSIZING_WEBHOOK_SECRET_FILE) because CIEM_RIGHTSIZING_WEBHOOK_URL is set, received nothing',
    );
  }
  if (config.smtpHost !== undefined) {
    if (config.smtpFrom === undefined) {
      problems.push(
        'CIEM_RIGHTSIZING_SMTP_FROM: expected a sender address because CIEM_RIGHTSIZING_SMTP_HOST is set, received nothing',
      );
    }
    if (config.smtpTo.length === 0) {
      problems.push(
        'CIEM_RIGHTSIZING_SMTP_TO: expected one or more recipients because CIEM_RIGHTSIZING_SMTP_HOST is set, received nothing',
      );
    }
  }
  return problems;
}
