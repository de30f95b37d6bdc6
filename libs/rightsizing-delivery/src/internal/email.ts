/**
 * Report email over SMTP (nodemailer 10): one message per report with the HTML report as
 * the body, the Markdown as the plain-text alternative and the CSV attached.
 *
 * TLS: `secure: true` uses implicit TLS (port 465); otherwise STARTTLS is used when the
 * server offers it, and `requireTls: true` refuses to send without it. Credentials are
 * passed in by the caller (from secrets) and never logged.
 */
import nodemailer from 'nodemailer';
import type { RenderedReport } from '@ciem/rightsizing-reports';
import { reportFileName } from '@ciem/rightsizing-reports';
import { invalidOptionError, smtpError } from './errors.js';

/** Options of `sendReportEmails`. */
export interface EmailOptions {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (SMTPS, usually port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades to TLS with STARTTLS. */
  requireTls?: boolean;
  /** Checks the server certificate; true by default. Turn off only for a test server. */
  rejectUnauthorized?: boolean;
  user?: string;
  /** SMTP password; never logged. */
  password?: string;
  from: string;
  to: readonly string[];
  /** Subject prefix; `[ciem]` by default. */
  subjectPrefix?: string;
  /** Time allowed to connect and for each server reply, in milliseconds; 30 000 by default. */
  timeoutMs?: number;
}

// SMTP reply codes 5xx are permanent failures (RFC 5321, section 4.2.1); nodemailer puts
// the code in `responseCode`. Authentication failures come as EAUTH.
function isPermanent(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  return (
    (responseCode !== undefined && responseCode >= 500) || code === 'EAUTH' || code === 'EENVELOPE'
  );
}

/**
 * Sends one email per report and resolves with the number sent. Throws
 * `CIEM_RIGHTSIZING_DELIVERY_SMTP_REJECTED` (RejectedError) for a 5xx reply or refused credentials and
 * `CIEM_RIGHTSIZING_DELIVERY_SMTP_UNAVAILABLE` (DependencyError) for anything that may pass.
 */
export async function sendReportEmails(
  options: EmailOptions,
  reports: readonly RenderedReport[],
): Promise<number> {
  if (options.to.length === 0) throw invalidOptionError('to', 'one or more recipients', options.to);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTls === true,
    tls: { rejectUnauthorized: options.rejectUnauthorized ?? true },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(options.user === undefined
      ? {}
      : { auth: { user: options.user, pass: options.password ?? '' } }),
  });
  const prefix = options.subjectPrefix ?? '[ciem]';
  let sent = 0;
  try {
    for (const report of reports) {
      const headline = report.headline;
      await transport.sendMail({
        from: options.from,
        to: [...options.to],
        subject: `${prefix} Right-sizing ${report.scope.kind} ${report.scope.key}: ${headline.removable_permissions} removable permissions, ${headline.high_risk_removable} high risk`,
        html: report.html,
        text: report.markdown,
        attachments: [
          {
            filename: reportFileName(report, 'csv'),
            content: report.csv,
            contentType: 'text/csv; charset=utf-8',
          },
        ],
      });
      sent += 1;
    }
  } catch (error) {
    throw smtpError(`${options.host}:${options.port}`, error, isPermanent(error));
  } finally {
    transport.close();
  }
  return sent;
}
