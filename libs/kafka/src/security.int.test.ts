import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@ciem/config';
import { randomName, repoRoot } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaClient, kafkaSecurityOptions, kafkaSecuritySettings } from './index.js';

const run = promisify(execFile);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns a free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let folder: string;
let ports: { plain: number; controller: number; ssl: number; saslSsl: number };
let kafkaEnv: Record<string, string | undefined>;
const script = path.join(repoRoot, 'deploy', 'local', 'kafka.sh');

/** Creates a CA and a broker certificate for 127.0.0.1 signed by it, as PEM files. */
async function makeCertificates(): Promise<void> {
  const file = (name: string) => path.join(folder, name);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=ciem test CA',
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('broker.key'),
    '-out',
    file('broker.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(file('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('broker.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('broker.pem'),
    '-days',
    '2',
    '-extfile',
    file('san.cnf'),
  ]);
  // Kafka reads a PEM key store as one file with the PKCS#8 key and the certificate chain.
  const key = await readFile(file('broker.key'), 'utf8');
  const certificate = await readFile(file('broker.pem'), 'utf8');
  await writeFile(file('broker-keystore.pem'), `${key}${certificate}`);
}

beforeAll(async () => {
  if (!hasOpenssl()) return;
  folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-kafka-tls-'));
  ports = {
    plain: await freePort(),
    controller: await freePort(),
    ssl: await freePort(),
    saslSsl: await freePort(),
  };
  await makeCertificates();
  const host = '127.0.0.1';
  await writeFile(
    path.join(folder, 'tls.properties'),
    [
      `listeners=PLAINTEXT://${host}:${ports.plain},CONTROLLER://${host}:${ports.controller},SSL://${host}:${ports.ssl},SASL_SSL://${host}:${ports.saslSsl}`,
      `advertised.listeners=PLAINTEXT://${host}:${ports.plain},SSL://${host}:${ports.ssl},SASL_SSL://${host}:${ports.saslSsl}`,
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL',
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${path.join(folder, 'broker-keystore.pem')}`,
      'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_ciem="ciem-secret";',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(folder, 'password'), 'ciem-secret\n');
  kafkaEnv = {
    ...process.env,
    CIEM_LOCAL_KAFKA_PORT: String(ports.plain),
    CIEM_LOCAL_KAFKA_CONTROLLER_PORT: String(ports.controller),
    CIEM_LOCAL_KAFKA_STATE_DIR: path.join(folder, 'state'),
    CIEM_LOCAL_KAFKA_EXTRA_CONFIG: path.join(folder, 'tls.properties'),
    CIEM_LOCAL_KAFKA_STOP_TIMEOUT_S: '20',
  };
  await run('bash', [script, 'start'], { env: kafkaEnv, timeout: 150_000 });
  // SCRAM credentials live in the cluster metadata; the broker's own tool adds them, one
  // mechanism per call.
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
    await run(
      'java',
      [
        '-cp',
        path.join(repoRoot, '.var', 'kafka', 'libs', '*'),
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        `127.0.0.1:${ports.plain}`,
        '--alter',
        '--add-config',
        `${mechanism}=[password=ciem-scram-secret]`,
        '--entity-type',
        'users',
        '--entity-name',
        'ciem-scram',
      ],
      { timeout: 60_000 },
    );
  }
}, 220_000);

afterAll(async () => {
  if (folder === undefined) return;
  await run('bash', [script, 'stop'], { env: kafkaEnv, timeout: 60_000 }).catch(() => undefined);
  await rm(folder, { recursive: true, force: true });
}, 70_000);

/** Connects with the security settings in `env`, creates a topic and writes one message to it. */
async function produceOnce(port: number, env: Record<string, string>): Promise<void> {
  const { values } = loadConfig(kafkaSecuritySettings, { env });
  const kafka = createKafkaClient({
    brokers: [`127.0.0.1:${port}`],
    clientId: 'security-test',
    logger: quiet,
    connectionTimeoutMs: 5_000,
    ...kafkaSecurityOptions(values),
  });
  const topic = randomName('security');
  try {
    const admin = await kafka.createAdmin();
    try {
      await admin.createTopics([{ name: topic, partitions: 1, replicationFactor: 1 }]);
    } finally {
      await admin.disconnect();
    }
    const producer = await kafka.createProducer({ retries: 1 });
    try {
      const acks = await producer.send(topic, [{ key: 'k', value: 'over TLS' }]);
      expect(acks).toEqual([{ topic, partition: 0, baseOffset: '0' }]);
    } finally {
      await producer.disconnect();
    }
  } finally {
    await kafka.close();
  }
}

describe.skipIf(!hasOpenssl())('Kafka client over TLS and SASL', () => {
  it('produces over TLS with the CA', async () => {
    await produceOnce(ports.ssl, {
      CIEM_KAFKA_SSL_ENABLED: 'true',
      CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem'),
    });
  });

  it('rejects a broker of unknown CA', async () => {
    // Without the test CA, the system authorities do not trust the broker's certificate.
    await expect(produceOnce(ports.ssl, { CIEM_KAFKA_SSL_ENABLED: 'true' })).rejects.toThrow(
      /unable to verify the first certificate/,
    );
  }, 60_000);

  it('produces with SASL PLAIN over TLS', async () => {
    await produceOnce(ports.saslSsl, {
      CIEM_KAFKA_SSL_ENABLED: 'true',
      CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem'),
      CIEM_KAFKA_SASL_MECHANISM: 'plain',
      CIEM_KAFKA_SASL_USERNAME: 'ciem',
      CIEM_KAFKA_SASL_PASSWORD_FILE: path.join(folder, 'password'),
    });
  });

  it.each(['scram-sha-256', 'scram-sha-512'])(
    'produces with SASL %s over TLS',
    async (mechanism) => {
      await produceOnce(ports.saslSsl, {
        CIEM_KAFKA_SSL_ENABLED: 'true',
        CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem'),
        CIEM_KAFKA_SASL_MECHANISM: mechanism,
        CIEM_KAFKA_SASL_USERNAME: 'ciem-scram',
        CIEM_KAFKA_SASL_PASSWORD: 'ciem-scram-secret',
      });
    },
  );

  it('rejects a wrong SASL password', async () => {
    await expect(
      produceOnce(ports.saslSsl, {
        CIEM_KAFKA_SSL_ENABLED: 'true',
        CIEM_KAFKA_SSL_CA_FILE: path.join(folder, 'ca.pem'),
        CIEM_KAFKA_SASL_MECHANISM: 'plain',
        CIEM_KAFKA_SASL_USERNAME: 'ciem',
        CIEM_KAFKA_SASL_PASSWORD: 'not-the-password',
      }),
    ).rejects.toMatchObject({ code: 'CIEM_KAFKA_NOT_AUTHORIZED' });
  }, 60_000);
});
