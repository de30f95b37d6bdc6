import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml must describe the same stack as the native scripts in deploy/local/, and
// run every platform service with settings that service actually reads.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<
    string,
    { image?: string; entrypoint?: string[]; environment?: Record<string, unknown> }
  >;
};

function serviceMain(name: string): string | undefined {
  const entrypoint = compose.services[name]?.entrypoint ?? [];
  return entrypoint.find((part) => part.endsWith('/src/main.ts'));
}

describe('docker-compose.yml', () => {
  it('runs the Kafka version the native script installs', () => {
    const script = readFileSync(path.join(root, 'deploy', 'local', 'kafka.sh'), 'utf8');
    const nativeVersion = /CIEM_LOCAL_KAFKA_VERSION:-([0-9.]+)/.exec(script)?.[1];
    expect(nativeVersion).toBeDefined();
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${nativeVersion}`);
  });

  it('runs ClickHouse 24 or newer', () => {
    const image = compose.services.clickhouse?.image ?? '';
    const major = Number(/clickhouse-server:(\d+)/.exec(image)?.[1]);
    expect(major).toBeGreaterThanOrEqual(24);
  });

  it('has an entry for every service', () => {
    const services = readdirSync(path.join(root, 'services')).filter((name) => name !== 'cli');
    const mains = Object.keys(compose.services).map(serviceMain);
    for (const service of services) {
      expect(mains, `services/${service} has no docker-compose entry`).toContain(
        `services/${service}/src/main.ts`,
      );
    }
  });

  it('sets only settings the services read', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      const main = serviceMain(name);
      if (main === undefined) continue;
      const configText = readdirSync(path.join(root, path.dirname(main)))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => readFileSync(path.join(root, path.dirname(main), file), 'utf8'))
        .join('\n');
      const sharedSettings = ['libs/runtime', 'libs/ingest']
        .flatMap((lib) =>
          readdirSync(path.join(root, lib, 'src', 'internal')).map((file) =>
            path.join(root, lib, 'src', 'internal', file),
          ),
        )
        .filter((file) => file.endsWith('settings.ts'))
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
      for (const variable of Object.keys(definition.environment ?? {})) {
        expect(
          configText.includes(`'${variable}'`) || sharedSettings.includes(`'${variable}'`),
          `${name} sets ${variable}, which ${main} does not read`,
        ).toBe(true);
      }
    }
  });
});
