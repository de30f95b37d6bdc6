import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/**
 * Returns the variables of every setting in the configuration schemas a service's config
 * module exports, the shared settings it spreads in included. A schema is an object whose
 * values are settings, each with the `env` name of its variable.
 */
async function settingVariables(configFile: string): Promise<Set<string>> {
  const module = (await import(pathToFileURL(configFile).href)) as Record<string, unknown>;
  const variables = new Set<string>();
  for (const exported of Object.values(module)) {
    if (typeof exported !== 'object' || exported === null) continue;
    for (const value of Object.values(exported)) {
      const env = (value as { env?: unknown } | null)?.env;
      if (typeof env === 'string') variables.add(env);
    }
  }
  return variables;
}

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

  it('sets only settings the services read', async () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      const main = serviceMain(name);
      if (main === undefined) continue;
      const variables = await settingVariables(path.join(root, path.dirname(main), 'config.ts'));
      for (const variable of Object.keys(definition.environment ?? {})) {
        expect(
          variables.has(variable),
          `${name} sets ${variable}, which ${main} does not read`,
        ).toBe(true);
      }
    }
  });
});
