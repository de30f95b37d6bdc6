import { describe, expect, it } from 'vitest';
import { AWS_ACTION_OVERRIDES } from './action-overrides.js';
import { awsActionExists, awsServiceExists, lookupAwsAction } from './catalog.js';
import {
  AWS_EXTRA_PERMISSION_RULES,
  AWS_SERVICE_EXTRA_PERMISSION_RULES,
} from './extra-permissions.js';
import { AWS_NO_PERMISSION_EVENTS } from './no-permission-events.js';
import { AWS_PASS_ROLE_CALLS, PASS_ROLE_ACTION } from './request-rules.js';
import { AWS_SERVICE_PREFIX_BY_EVENT_SOURCE } from './service-prefixes.js';

describe('AWS mapping tables', () => {
  it('override targets exist in catalog', () => {
    for (const [event, actions] of Object.entries(AWS_ACTION_OVERRIDES)) {
      expect(actions.length, event).toBeGreaterThan(0);
      for (const action of actions) {
        expect(awsActionExists(action), `${event} -> ${action}`).toBe(true);
      }
    }
  });

  it('override targets use canonical case', () => {
    for (const [event, actions] of Object.entries(AWS_ACTION_OVERRIDES)) {
      for (const action of actions) {
        expect(lookupAwsAction(action)?.action, `${event} -> ${action}`).toBe(action);
      }
    }
  });

  it('override keys name catalog services', () => {
    for (const event of Object.keys(AWS_ACTION_OVERRIDES)) {
      const service = event.split(':')[0] ?? '';
      expect(awsServiceExists(service), event).toBe(true);
    }
  });

  it('override keys are not identities', () => {
    // An entry that maps an event to the same-named action repeats the default rule.
    for (const [event, actions] of Object.entries(AWS_ACTION_OVERRIDES)) {
      const identity = actions.length === 1 && actions[0]?.toLowerCase() === event.toLowerCase();
      expect(identity, event).toBe(false);
    }
  });

  it('event source prefixes exist in catalog', () => {
    for (const [source, service] of Object.entries(AWS_SERVICE_PREFIX_BY_EVENT_SOURCE)) {
      expect(awsServiceExists(service), `${source} -> ${service}`).toBe(true);
      expect(source.endsWith('.amazonaws.com'), source).toBe(true);
    }
  });

  it('pass-role calls exist in catalog', () => {
    expect(awsActionExists(PASS_ROLE_ACTION)).toBe(true);
    // A call is a catalog action or an event name the overrides map (PutBucketReplication).
    const overridden = new Set(Object.keys(AWS_ACTION_OVERRIDES).map((key) => key.toLowerCase()));
    for (const call of Object.keys(AWS_PASS_ROLE_CALLS)) {
      const known = awsActionExists(call) || overridden.has(call.toLowerCase());
      expect(known, call).toBe(true);
    }
  });

  it('extra permission rules name catalog actions', () => {
    // One request that carries every field the rules read, in CloudTrail's spelling.
    const request = {
      'x-amz-acl': 'bucket-owner-full-control',
      'x-amz-tagging': 'team=data',
      'x-amz-object-lock-mode': 'GOVERNANCE',
      'x-amz-object-lock-legal-hold': 'ON',
      'x-amz-bypass-governance-retention': 'true',
      tags: [{ key: 'team', value: 'data' }],
      sourceIdentity: 'alice',
      filters: [{ key: 'name', values: ['prod'] }],
      tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [] }] },
    };
    const rules = { ...AWS_EXTRA_PERMISSION_RULES, ...AWS_SERVICE_EXTRA_PERMISSION_RULES };
    for (const [key, rule] of Object.entries(rules)) {
      const service = key.split(':')[0] ?? '';
      expect(awsServiceExists(service), key).toBe(true);
      const actions = rule(request);
      expect(actions.length, key).toBeGreaterThan(0);
      for (const action of actions) {
        expect(lookupAwsAction(action)?.action, `${key} -> ${action}`).toBe(action);
      }
    }
  });

  it('no-permission keys name catalog services', () => {
    for (const event of Object.keys(AWS_NO_PERMISSION_EVENTS)) {
      const service = event.split(':')[0] ?? '';
      expect(awsServiceExists(service), event).toBe(true);
    }
  });
});
