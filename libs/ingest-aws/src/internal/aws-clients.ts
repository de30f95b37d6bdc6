import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Options of {@link createAwsClients}. */
export interface AwsClientOptions {
  /** Region of the queue, buckets and CloudTrail API, such as `us-east-1`. */
  region: string;
  /**
   * Endpoint of every client instead of the region's AWS endpoint, such as
   * `http://127.0.0.1:5000` for a local moto server. S3 then uses path-style URLs, because
   * local servers do not resolve bucket subdomains.
   */
  endpoint?: string;
  /** SDK attempts per request, including the first (the SDK's default is 3). */
  maxAttempts?: number;
}

/** The SDK clients the AWS ingest adapters use. */
export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  cloudTrail: (region: string) => CloudTrailClient;
  /** Closes every client's connections. */
  destroy(): void;
}

/**
 * Creates the S3, SQS and CloudTrail clients. Credentials come from the SDK's default chain
 * (environment, shared files, web identity, container and instance metadata), never from
 * this library's options. CloudTrail clients are made per region on first use, because
 * LookupEvents reads one region at a time.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const common = {
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
  const s3 = new S3Client({ ...common, forcePathStyle: options.endpoint !== undefined });
  const sqs = new SQSClient(common);
  const cloudTrailClients = new Map<string, CloudTrailClient>();
  return {
    s3,
    sqs,
    cloudTrail(region) {
      let client = cloudTrailClients.get(region);
      if (client === undefined) {
        client = new CloudTrailClient({ ...common, region });
        cloudTrailClients.set(region, client);
      }
      return client;
    },
    destroy() {
      s3.destroy();
      sqs.destroy();
      for (const client of cloudTrailClients.values()) client.destroy();
    },
  };
}
