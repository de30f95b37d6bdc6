import { BlockList, isIP } from 'node:net';
import { invalidOption } from './errors.js';

/**
 * A suppression rule from configuration. An alert is suppressed when every field the rule
 * sets matches. `ruleId` and `principal` accept `*` wildcards; `sourceCidr` is an IPv4 or
 * IPv6 CIDR matched against the triggering event's source address. An IPv4 range also
 * matches the IPv4-mapped IPv6 form of its addresses (`::ffff:203.0.113.7`), and the
 * other way round.
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
  network: BlockList | undefined;
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
    // Source addresses that are no IP address, such as AWS service names, match no range.
    const family = subject.sourceIp === null ? 0 : isIP(subject.sourceIp);
    if (family === 0) return false;
    if (!rule.network.check(subject.sourceIp as string, family === 4 ? 'ipv4' : 'ipv6')) {
      return false;
    }
  }
  return true;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Parses `address/prefix` (or a bare address, a range of one) into a range of addresses. */
function parseCidr(cidr: string, field: string): BlockList {
  const slash = cidr.indexOf('/');
  const address = slash < 0 ? cidr : cidr.slice(0, slash);
  const family = isIP(address);
  const maxBits = family === 4 ? 32 : 128;
  const bitsText = slash < 0 ? String(maxBits) : cidr.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (family === 0 || !(bits >= 0 && bits <= maxBits)) {
    throw invalidOption(
      field,
      'an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32',
      cidr,
    );
  }
  const network = new BlockList();
  network.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  return network;
}
