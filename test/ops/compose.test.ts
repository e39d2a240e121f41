/**
 * docker-compose.yml, validated offline against the Compose Specification's JSON schema (vendored in
 * test/schemas, see its README), plus what the schema cannot say: the start order and health checks.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Draft-07, which Ajv's default class speaks; its `$schema` spells the draft's URI in a way Ajv does not know.
const { $schema: _draft, ...schema } = JSON.parse(readFileSync('test/schemas/compose-spec.json', 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const text = readFileSync('docker-compose.yml', 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  environment?: Record<string, string>;
  volumes?: string[];
  restart?: string;
}

const compose = parse(text, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('is valid under the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('fails that schema when a dependency condition is misspelt (the check can fail)', () => {
    const broken = parse(text, { merge: true });
    broken.services.serve.depends_on.migrate.condition = 'service_done';
    expect(validate(broken)).toBe(false);
    const unknownKey = parse(text, { merge: true });
    unknownKey.services.worker.healthcheck.every = '5s';
    expect(validate(unknownKey)).toBe(false);
  });

  it('runs Postgres 16 and Redis 7 on volumes, each with a health check', () => {
    expect(services.postgres?.image).toMatch(/^postgres:16\b/);
    expect(services.redis?.image).toMatch(/^redis:7\b/);
    for (const name of ['postgres', 'redis'] as const) {
      expect(services[name]?.healthcheck?.test?.length).toBeGreaterThan(0);
      const [volume] = (services[name]?.volumes?.[0] ?? '').split(':');
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  it('migrates once on a healthy database, then starts serve and worker on the migrated one', () => {
    expect(services.migrate?.command).toEqual(['migrate']);
    expect(services.migrate?.restart).toBe('no');
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const role of ['serve', 'worker'] as const) {
      expect(services[role]?.command).toEqual([role]);
      expect(services[role]?.depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[role]?.healthcheck?.test).toEqual(['CMD', 'node', 'bin/healthcheck.js', role]);
    }
    // Every service waited on as healthy has a health check to be healthy by.
    for (const service of Object.values(services))
      for (const [name, { condition }] of Object.entries(service.depends_on ?? {}))
        if (condition === 'service_healthy') expect(services[name]?.healthcheck?.test).toBeDefined();
  });

  it('builds this image for every app service and points it at the compose Postgres and Redis', () => {
    for (const role of ['migrate', 'serve', 'worker'] as const) {
      const env = services[role]?.environment ?? {};
      expect(services[role]?.build).toBe('.');
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/helpdesk:.*@postgres:5432\/helpdesk$/);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.WORKER_HEALTH_PORT).toBe('3001');
    }
  });
});
