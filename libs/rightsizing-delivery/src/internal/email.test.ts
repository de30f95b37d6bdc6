import type { AddressInfo } from 'node:net';
import { renderReports } from '@ciem/rightsizing-reports';
import { sampleResults } from '@ciem/rightsizing-reports/testing';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReportEmails } from './email.js';

const generatedAt = Date.UTC(2026, 11, 4, 12);
const reports = renderReports(sampleResults(), { generatedAt }).filter(
  (report) => report.scope.key === 'payments',
);
const messages: Array<{ from: string; to: string[]; raw: Buffer }> = [];
const logins: Array<{ username: string | undefined; password: string | undefined }> = [];

const server = new SMTPServer({
  // Plain SMTP on loopback: the test server has no certificate.
  secure: false,
  disabledCommands: ['STARTTLS'],
  authOptional: false,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _session, callback) {
    logins.push({ username: auth.username, password: auth.password ?? undefined });
    if (auth.username === 'reports' && auth.password === 'smtp-test-password') {
      callback(null, { user: auth.username });
    } else {
      callback(new Error('invalid credentials'));
    }
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      messages.push({
        from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((address) => address.address),
        raw: Buffer.concat(chunks),
      });
      callback();
    });
  },
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('sendReportEmails', () => {
  it('sends HTML with the CSV attached', async () => {
    const sent = await sendReportEmails(
      {
        host: '127.0.0.1',
        port,
        secure: false,
        user: 'reports',
        password: 'smtp-test-password',
        from: 'ciem@example.com',
        to: ['payments-team@example.com'],
      },
      reports,
    );
    expect(sent).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.from).toBe('ciem@example.com');
    expect(messages[0]?.to).toEqual(['payments-team@example.com']);

    const mail = await simpleParser(messages[0]!.raw);
    expect(mail.subject).toBe(
      '[ciem] Right-sizing team payments: 4 removable permissions, 3 high risk',
    );
    expect(mail.html).toContain('<svg id="score-chart"');
    expect(mail.html).toContain('data-field="removable_permissions">4<');
    expect(mail.text).toContain('# Right-sizing report: team payments');
    expect(mail.attachments).toHaveLength(1);
    const attachment = mail.attachments[0]!;
    expect(attachment.filename).toBe('team-payments.csv');
    expect(attachment.contentType).toBe('text/csv');
    const csv = attachment.content.toString('utf8');
    expect(csv).toBe(reports[0]!.csv);
    expect(csv.split('\r\n').filter((line) => line.includes(',iam:'))).toHaveLength(2);
  });

  it('rejects refused credentials', async () => {
    await expect(
      sendReportEmails(
        {
          host: '127.0.0.1',
          port,
          secure: false,
          user: 'reports',
          password: 'wrong',
          from: 'ciem@example.com',
          to: ['payments-team@example.com'],
        },
        reports,
      ),
    ).rejects.toMatchObject({ code: 'CIEM_RIGHTSIZING_DELIVERY_SMTP_REJECTED', retriable: false });
    expect(logins.at(-1)?.password).toBe('wrong');
  });
});
