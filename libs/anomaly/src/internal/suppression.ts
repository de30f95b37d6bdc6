import { invalidOption } from './errors.js';

/**
 * A suppression rule from configuration. An alert is suppressed when every field the rule
 * sets matches. `ruleId` and `principal` accept `*` wildcards; `sourceCidr` is an IPv4 CIDR
 * matched against the triggering event's source address.
 */
export interface SuppressionRule {
  ruleId?: string;
  principal?: string;
  accountId?: string;
  sourceCidr?: string;
}

/** The alert fields a suppression rule is matched against. */
export interface SuppressionSubject {
  ruleId: string;
  principalId: string;
  accountId: string;
  sourceIp: string | null;
}

interface CompiledRule {
  ruleId: RegExp | undefined;
  principal: RegExp | undefined;
  accountId: string | undefined;
  network: [number, number] | undefined;
}

/** Compiles suppression rules into a predicate; throws CIEM_ANOMALY_INVALID_OPTION on a bad CIDR. */
export function compileSuppressions(
  rules: readonly SuppressionRule[],
): (subject: SuppressionSubject) => boolean {
  const compiled = rules.map<CompiledRule>((rule, index) => ({
    ruleId: rule.ruleId === undefined ? undefined : globToRegExp(rule.ruleId),
    principal: rule.principal === undefined ? undefined : globToRegExp(rule.principal),
    accountId: rule.accountId,
    network:
      rule.sourceCidr === undefined
        ? undefined
        : parseCidr(rule.sourceCidr, `suppressions[${index}].sourceCidr`),
  }));
  if (compiled.length === 0) return () => false;
  return (subject) => compiled.some((rule) => matches(rule, subject));
}

function matches(rule: CompiledRule, subject: SuppressionSubject): boolean {
  if (rule.ruleId && !rule.ruleId.test(subject.ruleId)) return false;
  if (rule.principal && !rule.principal.test(subject.principalId)) return false;
  if (rule.accountId !== undefined && rule.accountId !== subject.accountId) return false;
  if (rule.network) {
    const address = subject.sourceIp === null ? undefined : ipv4ToNumber(subject.sourceIp);
    if (address === undefined) return false;
    const [base, mask] = rule.network;
    if ((address & mask) >>> 0 !== base) return false;
  }
  return true;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value >>> 0;
}

// NOTE: only IPv4 ranges can be suppressed; an IPv6 CIDR is rejected as an invalid option.
function parseCidr(cidr: string, field: string): [number, number] {
  const [ip, bitsText] = cidr.split('/');
  const address = ip === undefined ? undefined : ipv4ToNumber(ip);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (address === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw invalidOption(field, 'an IPv4 CIDR such as 203.0.113.0/24', cidr);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [(address & mask) >>> 0, mask];
}
