import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/alerts.js';
import { isRouted, matchesPattern, matchesRule } from './routing.js';

describe('matchesRule', () => {
  it('passes alerts at minimum severity', () => {
    const rule = { minSeverity: 'high', providers: null, accounts: null } as const;
    expect(matchesRule(rule, makeAlert({ severity: 'high' }))).toBe(true);
    expect(matchesRule(rule, makeAlert({ severity: 'critical' }))).toBe(true);
    expect(matchesRule(rule, makeAlert({ severity: 'medium' }))).toBe(false);
  });

  it('filters by provider list', () => {
    const rule = { minSeverity: 'info', providers: ['gcp', 'azure'], accounts: null } as const;
    expect(matchesRule(rule, makeAlert({ provider: 'aws' }))).toBe(false);
    expect(matchesRule(rule, makeAlert({ provider: 'gcp' }))).toBe(true);
  });

  it('filters by account pattern', () => {
    const rule = {
      minSeverity: 'info',
      providers: null,
      accounts: ['1111*', 'prod-project'],
    } as const;
    expect(matchesRule(rule, makeAlert({ account_id: '111122223333' }))).toBe(true);
    expect(matchesRule(rule, makeAlert({ account_id: 'prod-project' }))).toBe(true);
    expect(matchesRule(rule, makeAlert({ account_id: '999922223333' }))).toBe(false);
  });
});

describe('matchesPattern', () => {
  it('treats dots literally', () => {
    expect(matchesPattern('a.b*', 'axb1')).toBe(false);
    expect(matchesPattern('a.b*', 'a.b1')).toBe(true);
  });
});

describe('isRouted', () => {
  it('matches any of several rules', () => {
    const rules = [
      { minSeverity: 'critical', providers: null, accounts: null },
      { minSeverity: 'info', providers: ['azure'], accounts: null },
    ] as const;
    expect(isRouted(rules, makeAlert({ severity: 'low', provider: 'azure' }))).toBe(true);
    expect(isRouted(rules, makeAlert({ severity: 'low', provider: 'aws' }))).toBe(false);
  });

  it('routes nothing without rules', () => {
    expect(isRouted([], makeAlert())).toBe(false);
  });
});
