import { describe, expect, it } from 'vitest';
import { type AwsCallInput, mapAwsCall } from './map-aws-call.js';

// Returns the visibility of each permission a record exercised, by action.
const visibilityByAction = (record: AwsCallInput) =>
  Object.fromEntries(mapAwsCall(record).uses.map((use) => [use.action, use.visibility]));

const sessionOf = (account: string) => ({
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEID:app',
  arn: `arn:aws:sts::${account}:assumed-role/app/app`,
  accountId: account,
  accessKeyId: 'ASIAEXAMPLEKEY',
});

describe('Amazon SES data events', () => {
  // Amazon SES Developer Guide, "Logging Amazon SES API calls with AWS CloudTrail", "SES
  // data events in CloudTrail": SendEmail, SendRawEmail, SendTemplatedEmail and
  // SendBulkTemplatedEmail (SES API) and SendEmail and SendBulkEmail (SES API v2) are the
  // data APIs of the AWS::SES::EmailIdentity, ConfigurationSet and Template types. The
  // record follows the page's "SendEmail with simple content" example.
  // https://docs.aws.amazon.com/ses/latest/dg/logging-using-cloudtrail.html
  const sendEmail = {
    eventVersion: '1.11',
    userIdentity: sessionOf('111122223333'),
    eventTime: '2025-01-24T11:43:00Z',
    eventSource: 'ses.amazonaws.com',
    eventName: 'SendEmail',
    awsRegion: 'us-east-1',
    requestParameters: {
      destination: { toAddresses: ['HIDDEN_DUE_TO_SECURITY_REASONS'] },
      message: {
        subject: { charset: 'UTF-8', data: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        body: { text: { charset: 'UTF-8', data: 'HIDDEN_DUE_TO_SECURITY_REASONS' } },
      },
      source: 'sender@example.com',
    },
    readOnly: true,
    resources: [
      {
        accountId: '111122223333',
        type: 'AWS::SES::EmailIdentity',
        ARN: 'arn:aws:ses:us-east-1:111122223333:identity/sender@example.com',
      },
    ],
    eventType: 'AwsApiCall',
    managementEvent: false,
    eventCategory: 'Data',
  };

  it('marks SendEmail as a data event', () => {
    expect(visibilityByAction(sendEmail)).toEqual({ 'ses:SendEmail': 'data-event' });
  });

  it('marks the other send calls', () => {
    for (const eventName of ['SendTemplatedEmail', 'SendBulkTemplatedEmail', 'SendBulkEmail']) {
      const record = { ...sendEmail, eventName };
      expect(visibilityByAction(record), eventName).toEqual({ [`ses:${eventName}`]: 'data-event' });
    }
  });

  // The same page: "Email sending activity via SES SMTP Interface is not logged to CloudTrail
  // events", and SMTP credentials send with ses:SendRawEmail, so a use of that permission
  // may leave no record even where SES data events are enabled.
  it('keeps SendRawEmail unobservable', () => {
    const record = {
      ...sendEmail,
      eventSource: 'email.amazonaws.com',
      eventName: 'SendRawEmail',
      requestParameters: { rawMessage: { data: 'HIDDEN_DUE_TO_SECURITY_REASONS' } },
    };
    const mapping = mapAwsCall(record);
    expect(mapping.permissions).toEqual(['ses:SendRawEmail']);
    expect(mapping.uses[0]?.visibility).toBe('not-logged');
    expect(mapping.visibility).toBe('data-event');
  });

  it('keeps identity management calls logged', () => {
    const record = {
      ...sendEmail,
      eventName: 'VerifyEmailIdentity',
      requestParameters: { emailAddress: 'sender@example.com' },
      readOnly: false,
      managementEvent: true,
      eventCategory: 'Management',
    };
    expect(visibilityByAction(record)).toEqual({ 'ses:VerifyEmailIdentity': 'logged' });
  });
});

describe('End User Messaging SMS data events', () => {
  // CloudTrail User Guide, "Understanding CloudTrail events", table "Data events supported
  // by AWS CloudTrail": AWS End User Messaging SMS logs "API activity on messages"
  // (AWS::SMSVoice::Message) and on origination identities as data events.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-events.html
  const sendText = {
    eventVersion: '1.09',
    userIdentity: sessionOf('111122223333'),
    eventTime: '2025-03-02T08:15:00Z',
    eventSource: 'sms-voice.amazonaws.com',
    eventName: 'SendTextMessage',
    awsRegion: 'us-east-1',
    requestParameters: {
      destinationPhoneNumber: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      originationIdentity: 'phone-0123456789abcdef0123456789abcdef',
      messageBody: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      messageType: 'TRANSACTIONAL',
    },
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: false,
    eventCategory: 'Data',
  };

  it('marks message sends as data events', () => {
    for (const eventName of ['SendTextMessage', 'SendVoiceMessage', 'SendMediaMessage']) {
      const record = { ...sendText, eventName };
      expect(visibilityByAction(record), eventName).toEqual({
        [`sms-voice:${eventName}`]: 'data-event',
      });
    }
  });

  it('keeps phone number management logged', () => {
    const record = {
      ...sendText,
      eventName: 'DescribePhoneNumbers',
      requestParameters: { phoneNumberIds: ['phone-0123456789abcdef0123456789abcdef'] },
      readOnly: true,
      managementEvent: true,
      eventCategory: 'Management',
    };
    expect(visibilityByAction(record)).toEqual({ 'sms-voice:DescribePhoneNumbers': 'logged' });
  });
});

describe('Step Functions data events', () => {
  // CloudTrail User Guide, table "Data events supported by AWS CloudTrail": Step Functions
  // logs "API activity on activities" (AWS::StepFunctions::Activity) as data events. The
  // activity worker calls are GetActivityTask and SendTaskSuccess, SendTaskFailure and
  // SendTaskHeartbeat with the task token (AWS Step Functions API Reference).
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-events.html
  const sendTaskSuccess = {
    eventVersion: '1.09',
    userIdentity: sessionOf('111122223333'),
    eventTime: '2025-04-11T10:02:31Z',
    eventSource: 'states.amazonaws.com',
    eventName: 'SendTaskSuccess',
    awsRegion: 'us-east-1',
    requestParameters: {
      taskToken: 'AAAAKgAAAAIAAAAAAAAAAQEXAMPLE',
      output: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    },
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: false,
    eventCategory: 'Data',
  };

  it('marks activity worker calls', () => {
    const names = ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat', 'GetActivityTask'];
    for (const eventName of names) {
      const record = { ...sendTaskSuccess, eventName };
      expect(visibilityByAction(record), eventName).toEqual({
        [`states:${eventName}`]: 'data-event',
      });
    }
  });

  // AWS Step Functions API Reference, StartSyncExecution: "This API action isn't logged in
  // CloudTrail."
  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html
  it('marks StartSyncExecution as not logged', () => {
    const record = {
      ...sendTaskSuccess,
      eventName: 'StartSyncExecution',
      requestParameters: {
        stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:orders',
        input: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      },
    };
    expect(visibilityByAction(record)).toEqual({ 'states:StartSyncExecution': 'not-logged' });
  });

  it('keeps StartExecution logged', () => {
    const record = {
      ...sendTaskSuccess,
      eventName: 'StartExecution',
      requestParameters: {
        stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:orders',
      },
      managementEvent: true,
      eventCategory: 'Management',
    };
    expect(visibilityByAction(record)).toEqual({ 'states:StartExecution': 'logged' });
  });
});
