import { errorCodeOf, errorTypeOf } from '@ciem/errors';
import {
  buildWebhookPayload,
  sendReportEmails,
  sendWebhook,
  writeReportsToFolder,
} from '@ciem/rightsizing-delivery';
import type { RenderedReport } from '@ciem/rightsizing-reports';
import type { Logger, StageMetrics } from '@ciem/telemetry';
import type { RightsizingConfig } from './ownership.js';

/** Outcome of the delivery targets of one analysis. */
export interface DeliveryReport {
  files: number;
  webhookAttempts: number;
  emails: number;
  /** Targets that failed, by name (`folder`, `webhook`, `email`). */
  failed: string[];
  /** The error of the first failed target. */
  firstError?: unknown;
}

/**
 * Delivers the reports to every configured target: the folder first, so webhook links
 * point at files that exist, then the webhook, then email. A failing target is logged and
 * counted and does not stop the others.
 */
export async function deliverReports(
  config: RightsizingConfig,
  reports: readonly RenderedReport[],
  generatedAt: number,
  logger: Logger,
  metrics: StageMetrics,
): Promise<DeliveryReport> {
  const outcome: DeliveryReport = { files: 0, webhookAttempts: 0, emails: 0, failed: [] };
  const attempt = async (target: string, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (error) {
      outcome.failed.push(target);
      outcome.firstError ??= error;
      metrics.countError(errorTypeOf(error), { phase: 'deliver' });
      logger.error(
        { target, err: error, error_code: errorCodeOf(error) },
        'report delivery failed',
      );
    }
  };

  if (config.reportsDir !== undefined) {
    const folder = config.reportsDir;
    await attempt('folder', async () => {
      outcome.files = (await writeReportsToFolder(folder, reports)).length;
    });
  }
  if (config.webhookUrl !== undefined && config.webhookSecret !== undefined) {
    const url = config.webhookUrl;
    const secret = config.webhookSecret;
    await attempt('webhook', async () => {
      const payload = buildWebhookPayload(reports, {
        generatedAt,
        inline: config.webhookInline,
        ...(config.webhookLinkBaseUrl === undefined
          ? {}
          : { linkBaseUrl: config.webhookLinkBaseUrl }),
      });
      outcome.webhookAttempts = await sendWebhook(
        {
          url,
          secret,
          maxAttempts: config.webhookMaxAttempts,
          timeoutMs: config.webhookTimeoutMs,
          onRetry: (attemptNumber, delayMs, error) =>
            logger.warn(
              {
                target: 'webhook',
                attempt: attemptNumber,
                delay_ms: delayMs,
                error_code: errorCodeOf(error),
              },
              'report webhook failed; retrying',
            ),
        },
        payload,
      );
    });
  }
  if (config.smtpHost !== undefined && config.smtpFrom !== undefined) {
    const host = config.smtpHost;
    const from = config.smtpFrom;
    await attempt('email', async () => {
      outcome.emails = await sendReportEmails(
        {
          host,
          port: config.smtpPort,
          secure: config.smtpImplicitTls,
          requireTls: config.smtpRequireTls,
          rejectUnauthorized: config.smtpTlsVerify,
          from,
          to: config.smtpTo,
          ...(config.smtpUser === undefined ? {} : { user: config.smtpUser }),
          ...(config.smtpPassword === undefined ? {} : { password: config.smtpPassword }),
        },
        reports,
      );
    });
  }
  return outcome;
}
