import type { Provider } from '@ciem/events';
import type { TopicNames } from '@ciem/kafka';

/** Returns the (prefixed) raw topic a provider's records are published to. */
export function rawTopicFor(topics: TopicNames, provider: Provider): string {
  if (provider === 'aws') return topics.rawAwsCloudTrail;
  if (provider === 'azure') return topics.rawAzureActivity;
  return topics.rawGcpAudit;
}

/** Returns the raw topics with their provider, in the order of `PROVIDERS`. */
export function rawTopicsOf(topics: TopicNames): Array<{ provider: Provider; topic: string }> {
  return (['aws', 'azure', 'gcp'] as const).map((provider) => ({
    provider,
    topic: rawTopicFor(topics, provider),
  }));
}
