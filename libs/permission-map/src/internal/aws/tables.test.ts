import { describe, expect, it } from 'vitest';
import { AWS_ACTION_OVERRIDES } from './action-overrides.js';
import { awsActionExists, awsServiceExists, lookupAwsAction } from './catalog.js';
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
    for (const call of Object.keys(AWS_PASS_ROLE_CALLS)) {
      expect(awsActionExists(call), call).toBe(true);
    }
  });

  it('no-permission keys name catalog services', () => {
    for (const event of Object.keys(AWS_NO_PERMISSION_EVENTS)) {
      const service = event.split(':')[0] ?? '';
      expect(awsServiceExists(service), event).toBe(true);
    }
  });
});
