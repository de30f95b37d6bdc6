import { describe, expect, it } from 'vitest';
import { type AwsCallInput, mapAwsCall } from './map-aws-call.js';
import { awsPermissionVisibility } from './visibility.js';

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
  // AWS End User Messaging SMS User Guide, "Logging AWS End User Messaging SMS API calls
  // using AWS CloudTrail": the data APIs of AWS::SMSVoice::OriginationIdentity are
  // SendTextMessage, SendVoiceMessage and SendMediaMessage. The record follows the page's
  // SendTextMessage example.
  // https://docs.aws.amazon.com/sms-voice/latest/userguide/logging-using-cloudtrail.html
  const sendText = {
    eventVersion: '1.10',
    userIdentity: sessionOf('111122223333'),
    eventTime: '2025-03-02T08:15:00Z',
    eventSource: 'sms-voice.amazonaws.com',
    eventName: 'SendTextMessage',
    awsRegion: 'us-east-1',
    requestParameters: {
      destinationPhoneNumber: '+12065550100',
      originationIdentity: 'phone-0123456789abcdef0123456789abcdef',
      messageBody: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    },
    readOnly: false,
    resources: [
      {
        accountId: '111122223333',
        type: 'AWS::SMSVoice::OriginationIdentity',
        ARN: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef0123456789abcdef',
      },
    ],
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

describe('data APIs named by service guides', () => {
  // Builds a data event record as the service guides show them: eventCategory Data,
  // managementEvent false and the resource of the data event type.
  const dataEventOf = (
    eventSource: string,
    eventName: string,
    requestParameters: Record<string, unknown> | null,
    resourceType: string,
  ) => ({
    eventVersion: '1.09',
    userIdentity: sessionOf('111122223333'),
    eventTime: '2025-07-01T12:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    requestParameters,
    readOnly: false,
    resources: [{ accountId: '111122223333', type: resourceType }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    eventCategory: 'Data',
  });

  const expectDataEvents = (
    eventSource: string,
    service: string,
    eventNames: readonly string[],
    resourceType: string,
  ) => {
    for (const eventName of eventNames) {
      const record = dataEventOf(eventSource, eventName, {}, resourceType);
      expect(visibilityByAction(record), eventName).toEqual({
        [`${service}:${eventName}`]: 'data-event',
      });
    }
  };

  // AWS X-Ray Developer Guide, data event table of its CloudTrail page: the data APIs
  // of AWS::XRay::Trace are PutTraceSegments, GetTraceSummaries, GetTraceGraph,
  // GetServiceGraph, BatchGetTraces, GetTimeSeriesServiceStatistics, PutTelemetryRecords and
  // GetSamplingTargets.
  // https://docs.aws.amazon.com/xray/latest/devguide/xray-api-cloudtrail.html
  it('marks X-Ray trace reads and telemetry', () => {
    const names = [
      'GetTraceSummaries',
      'GetTraceGraph',
      'GetServiceGraph',
      'BatchGetTraces',
      'GetTimeSeriesServiceStatistics',
      'PutTelemetryRecords',
      'GetSamplingTargets',
    ];
    expectDataEvents('xray.amazonaws.com', 'xray', names, 'AWS::XRay::Trace');
  });

  // Amazon SageMaker AI Developer Guide, table "Data APIs logged to CloudTrail": the data
  // APIs of AWS::SageMaker::Endpoint are InvokeEndpoint, InvokeEndpointAsync and
  // InvokeEndpointWithResponseStream.
  it('marks SageMaker endpoint invocations', () => {
    const names = ['InvokeEndpoint', 'InvokeEndpointAsync', 'InvokeEndpointWithResponseStream'];
    expectDataEvents('sagemaker.amazonaws.com', 'sagemaker', names, 'AWS::SageMaker::Endpoint');
  });

  // Amazon SWF Developer Guide, data event table of its CloudTrail page: the workflow and
  // task calls on a domain are data events of AWS::SWF::Domain, and RespondDecisionTaskCompleted
  // adds one data event per decision (ScheduleActivityTask, CompleteWorkflowExecution, ...).
  // https://docs.aws.amazon.com/amazonswf/latest/developerguide/ct-logging.html
  it('marks SWF workflow, task and decision calls', () => {
    const names = [
      'StartWorkflowExecution',
      'SignalWorkflowExecution',
      'PollForDecisionTask',
      'PollForActivityTask',
      'RespondActivityTaskCompleted',
      'RespondDecisionTaskCompleted',
      'ScheduleActivityTask',
      'CompleteWorkflowExecution',
    ];
    expectDataEvents('swf.amazonaws.com', 'swf', names, 'AWS::SWF::Domain');
    // The same page lists RegisterDomain among the management events.
    const register = {
      ...dataEventOf('swf.amazonaws.com', 'RegisterDomain', { name: 'orders' }, ''),
      resources: undefined,
      managementEvent: true,
      eventCategory: 'Management',
    };
    expect(visibilityByAction(register)).toEqual({ 'swf:RegisterDomain': 'logged' });
  });

  // AWS IoT SiteWise User Guide, "AWS IoT SiteWise data events in CloudTrail": the
  // property value reads and writes of AWS::IoTSiteWise::Asset and TimeSeries, and
  // InvokeAssistant on AWS::SitewiseAssistant::Conversation.
  // https://docs.aws.amazon.com/iot-sitewise/latest/userguide/logging-using-cloudtrail.html
  it('marks IoT SiteWise property data calls', () => {
    const names = [
      'BatchPutAssetPropertyValue',
      'GetAssetPropertyValue',
      'GetAssetPropertyValueHistory',
      'BatchGetAssetPropertyAggregates',
      'InvokeAssistant',
    ];
    expectDataEvents('iotsitewise.amazonaws.com', 'iotsitewise', names, 'AWS::IoTSiteWise::Asset');
  });

  // Amazon GameLift Streams Developer Guide, data event table of its CloudTrail page: stream
  // session and stream URL calls are data events of AWS::GameLiftStreams::Application and
  // StreamGroup.
  // https://docs.aws.amazon.com/gameliftstreams/latest/developerguide/logging-using-cloudtrail.html
  it('marks GameLift Streams session calls', () => {
    const names = ['StartStreamSession', 'GetStreamSession', 'CreateStreamUrl', 'ListStreamUrls'];
    const source = 'gameliftstreams.amazonaws.com';
    expectDataEvents(source, 'gameliftstreams', names, 'AWS::GameLiftStreams::StreamGroup');
  });

  // AWS Deadline Cloud User Guide, data event table of its CloudTrail page: job, step, task,
  // session and worker calls are data events of the AWS::Deadline types.
  // https://docs.aws.amazon.com/deadline-cloud/latest/userguide/logging-using-cloudtrail.html
  it('marks Deadline Cloud job calls', () => {
    const names = ['CreateJob', 'GetJob', 'ListJobs', 'UpdateTask', 'SearchWorkers', 'GetWorker'];
    expectDataEvents('deadline.amazonaws.com', 'deadline', names, 'AWS::Deadline::Job');
  });

  // AWS End User Messaging Social User Guide, data event table of its CloudTrail page: the
  // data APIs of AWS::SocialMessaging::PhoneNumberId.
  // https://docs.aws.amazon.com/social-messaging/latest/userguide/logging-using-cloudtrail.html
  it('marks WhatsApp message calls', () => {
    const names = [
      'SendWhatsAppMessage',
      'PostWhatsAppMessageMedia',
      'GetWhatsAppMessageMedia',
      'DeleteWhatsAppMessageMedia',
    ];
    const type = 'AWS::SocialMessaging::PhoneNumberId';
    expectDataEvents('social-messaging.amazonaws.com', 'social-messaging', names, type);
  });

  // AWS Systems Manager User Guide, data event table of its CloudTrail page: the data API of
  // AWS::SSM::ManagedNode is RequestManagedInstanceRoleToken, which SSM Agent calls for the
  // node's credentials.
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html
  it('marks the managed node credential request', () => {
    const names = ['RequestManagedInstanceRoleToken'];
    expectDataEvents('ssm.amazonaws.com', 'ssm', names, 'AWS::SSM::ManagedNode');
  });

  // Amazon Bedrock User Guide, "Amazon Bedrock data events in CloudTrail": Bedrock
  // logs GetAsyncInvoke as a data event, while InvokeModel and Converse stay management
  // events.
  // https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html
  it('marks Bedrock GetAsyncInvoke only', () => {
    expectDataEvents('bedrock.amazonaws.com', 'bedrock', ['GetAsyncInvoke'], 'AWS::Bedrock::Model');
    expect(awsPermissionVisibility('bedrock:InvokeModel')).toBe('logged');
    expect(awsPermissionVisibility('bedrock:ListAsyncInvokes')).toBe('logged');
  });

  // Amazon Location Service Developer Guide, data event table of its CloudTrail page:
  // AWS::GeoMaps::Provider, GeoPlaces::Provider and GeoRoutes::Provider cover the whole
  // GeoMaps, GeoPlaces and GeoRoutes APIs. The page's example is a Geocode data event.
  it('marks Location Service provider APIs', () => {
    const geocode = dataEventOf(
      'geo-places.amazonaws.com',
      'Geocode',
      { Query: '***', Filter: { IncludeCountries: ['USA'] } },
      'AWS::GeoPlaces::Provider',
    );
    expect(visibilityByAction(geocode)).toEqual({ 'geo-places:Geocode': 'data-event' });
    expect(awsPermissionVisibility('geo-routes:CalculateRoutes')).toBe('data-event');
    expect(awsPermissionVisibility('geo-maps:GetTile')).toBe('data-event');
    expect(awsPermissionVisibility('geo:CreateTracker')).toBe('logged');
  });
});
