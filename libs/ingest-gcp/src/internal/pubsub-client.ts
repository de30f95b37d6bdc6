import { PubSub } from '@google-cloud/pubsub';
import type { Subscription } from '@google-cloud/pubsub';
import { invalidOption } from './errors.js';

/** Options of {@link createPubSubSubscription}. */
export interface PubSubSubscriptionOptions {
  /** Project of the subscription. */
  projectId: string;
  /** Subscription name, or its full name `projects/<project>/subscriptions/<name>`. */
  subscription: string;
  /**
   * `host:port` of a Pub/Sub emulator or fake, such as `127.0.0.1:8085`; the client then
   * connects without TLS or credentials. Unset for Google Cloud, where credentials come from
   * the environment (Application Default Credentials).
   */
  apiEndpoint?: string;
  /** Most messages leased and not yet acked or nacked; the client stops pulling beyond it. */
  maxMessages: number;
  /** Most bytes of leased messages; the client stops pulling beyond it. */
  maxBytes: number;
}

/** A subscription with the client that owns it. */
export interface OpenedSubscription {
  subscription: Subscription;
  /** Closes the client's channels; call it after the subscription is closed. */
  close(): Promise<void>;
}

/**
 * Creates a streaming-pull subscription with flow control: at most `maxMessages` messages
 * and `maxBytes` bytes are leased at once, `allowExcessMessages` is off, so a slow Kafka
 * holds back intake instead of filling memory. Nothing connects until a `message` listener
 * is added. Throws `ConfigError` `CIEM_INGEST_GCP_INVALID_OPTION` for invalid options.
 */
export function createPubSubSubscription(options: PubSubSubscriptionOptions): OpenedSubscription {
  if (options.projectId.length === 0) {
    throw invalidOption('projectId', 'a GCP project id', options.projectId);
  }
  if (options.subscription.length === 0) {
    throw invalidOption('subscription', 'a subscription name', options.subscription);
  }
  for (const [name, value] of [
    ['maxMessages', options.maxMessages],
    ['maxBytes', options.maxBytes],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw invalidOption(name, 'a positive integer', value);
  }

  const client = new PubSub({
    projectId: options.projectId,
    ...(options.apiEndpoint === undefined
      ? {}
      : {
          apiEndpoint: options.apiEndpoint,
          emulatorMode: true,
          // google-gax compares the universe domain with the credentials' one, which makes
          // google-auth-library probe the GCE metadata server when none is configured. An
          // emulator needs no credentials, so the domain is given and nothing is probed.
          universeDomain: 'googleapis.com',
        }),
  });
  const subscription = client.subscription(options.subscription, {
    flowControl: {
      maxMessages: options.maxMessages,
      maxBytes: options.maxBytes,
      allowExcessMessages: false,
    },
  });
  return { subscription, close: () => client.close() };
}
