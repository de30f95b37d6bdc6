/**
 * Reads an account's IAM estate through `iam:GetAccountAuthorizationDetails` (IAM API
 * Reference), following `Marker` until `IsTruncated` is false. Each page comes back as the
 * raw API form that `parseAwsAuthorizationDetails` reads: policy documents stay URL-encoded
 * JSON text and dates become ISO 8601 strings. Checked against moto 5 in server mode; the
 * SDK's own retry (3 attempts by default) handles throttling before an error is raised.
 */
import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  type EntityType,
  type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam';
import type { AwsAuthorizationDetailsInput } from '@ciem/entitlements';
import { collectFailedError, tooManyPagesError } from './errors.js';

/** The part of IAMClient the collector uses, so tests and callers may pass a wrapper. */
export interface AwsIamSender {
  send(
    command: GetAccountAuthorizationDetailsCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<GetAccountAuthorizationDetailsCommandOutput>;
}

/** Options of `collectAwsAuthorizationDetails`. */
export interface CollectAwsOptions {
  readonly client: AwsIamSender;
  /** Entity types to request; every type when absent, as the AWS CLI does. */
  readonly filter?: readonly EntityType[];
  /** Items per page, 1 to 1000; the API's default (100) when absent. */
  readonly pageSize?: number;
  /** Pages read at most before raising `CIEM_ENTITLEMENTS_AWS_COLLECT_TOO_MANY_PAGES`. */
  readonly maxPages?: number;
  /** Name of the pages in error messages; `aws-iam` by default. */
  readonly sourceName?: string;
  readonly abortSignal?: AbortSignal;
}

/**
 * Collects every page of GetAccountAuthorizationDetails. Returns the pages in order, named
 * `<sourceName>#page-<n>`, ready for `parseAwsAuthorizationDetails`. Throws
 * `CIEM_ENTITLEMENTS_AWS_COLLECT_ACCESS_DENIED` (ConfigError),
 * `CIEM_ENTITLEMENTS_AWS_COLLECT_FAILED` (DependencyError, retriable) or
 * `CIEM_ENTITLEMENTS_AWS_COLLECT_TOO_MANY_PAGES` (ConfigError).
 */
export async function collectAwsAuthorizationDetails(
  options: CollectAwsOptions,
): Promise<AwsAuthorizationDetailsInput[]> {
  const maxPages = options.maxPages ?? 10_000;
  const source = options.sourceName ?? 'aws-iam';
  const pages: AwsAuthorizationDetailsInput[] = [];
  let marker: string | undefined;
  do {
    if (pages.length >= maxPages) throw tooManyPagesError(maxPages);
    const command = new GetAccountAuthorizationDetailsCommand({
      ...(options.filter === undefined ? {} : { Filter: [...options.filter] }),
      ...(options.pageSize === undefined ? {} : { MaxItems: options.pageSize }),
      ...(marker === undefined ? {} : { Marker: marker }),
    });
    let output: GetAccountAuthorizationDetailsCommandOutput;
    try {
      output = await options.client.send(
        command,
        options.abortSignal === undefined ? undefined : { abortSignal: options.abortSignal },
      );
    } catch (error) {
      if (options.abortSignal?.aborted === true) throw error;
      throw collectFailedError(error, pages.length + 1);
    }
    const { $metadata: _metadata, ...page } = output;
    // JSON round trip: Date fields become ISO strings, undefined fields disappear.
    pages.push({
      source: `${source}#page-${pages.length + 1}`,
      value: JSON.parse(JSON.stringify(page)) as unknown,
    });
    marker = output.IsTruncated === true ? output.Marker : undefined;
  } while (marker !== undefined);
  return pages;
}

/** Options of `createAwsIamClient`. */
export interface AwsIamClientOptions {
  /** IAM is global; the SDK still needs a region to sign (`us-east-1` by default). */
  readonly region?: string;
  /** Endpoint override, such as a local moto server (`http://127.0.0.1:5000`). */
  readonly endpoint?: string;
  /** Credentials; the SDK's default provider chain when absent. */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly maxAttempts?: number;
}

/** Creates an IAMClient for `collectAwsAuthorizationDetails`. */
export function createAwsIamClient(options: AwsIamClientOptions = {}): IAMClient {
  return new IAMClient({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
}
