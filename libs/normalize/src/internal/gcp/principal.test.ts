import { describe, expect, it } from 'vitest';
import { principalFromEmail, principalFromSubject } from './principal.js';

describe('principalFromEmail', () => {
  it('recognizes every service agent form', () => {
    // Google Cloud IAM, "Service agents": the address forms Google uses for its agents.
    for (const email of [
      'service-123@gcp-sa-pubsub.iam.gserviceaccount.com',
      'service-123@compute-system.iam.gserviceaccount.com',
      'app@gcp-sa-aiplatform.iam.gserviceaccount.com',
      '123@cloudservices.gserviceaccount.com',
      'x@system.gserviceaccount.com',
      'p@gae-api-prod.google.com.iam.gserviceaccount.com',
      '123@container-engine-robot.iam.gserviceaccount.com',
      '123@Dataflow-Service-Producer-Prod.iam.gserviceaccount.com',
      '123@cloud-filer.iam.gserviceaccount.com',
    ]) {
      expect(principalFromEmail(email).type, email).toBe('google_service_agent');
    }
  });

  it('keeps customer service accounts', () => {
    for (const email of [
      'svc-1a2b@proj-1.iam.gserviceaccount.com',
      'service-x@proj.iam.gserviceaccount.com',
      'robot@compute-system.example.iam.gserviceaccount.com',
      'a@b.google.com.gserviceaccount.com',
    ]) {
      expect(principalFromEmail(email).type, email).toBe('service_account');
    }
  });

  it('names users by address', () => {
    const principal = principalFromEmail(' Jane@Example.com ');
    expect(principal.id).toBe('user:jane@example.com');
    expect(principal.type).toBe('user');
  });
});

describe('principalFromSubject', () => {
  it('keeps a subject whose prefix is named like a prototype member unknown', () => {
    // The prefix was looked up on Object.prototype, which typed the member as a function.
    for (const subject of ['constructor:alice', '__proto__:alice', 'toString:alice']) {
      expect(principalFromSubject(subject)).toEqual({
        id: subject,
        type: 'unknown',
        name: subject,
      });
    }
  });
});
