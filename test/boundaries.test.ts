import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (path: string) =>
  [...readFileSync(path, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );

describe('import boundaries', () => {
  it('keeps src/core free of Slack, Bot Framework, LangChain and BullMQ packages', () => {
    const forbidden = /^(@slack\/|botbuilder|botframework|@langchain\/|bullmq|ioredis|fastify)/;
    const offenders = files('src/core').flatMap((file) =>
      importsOf(file)
        .filter((spec) => forbidden.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('lets src/core trace through the OpenTelemetry API only, never an SDK or exporter', () => {
    const offenders = files('src/core').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('@opentelemetry/') && spec !== '@opentelemetry/api')
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
    // Exactly one core module speaks to the API, so spans stay free when tracing is off.
    const users = files('src/core').filter((file) => importsOf(file).includes('@opentelemetry/api'));
    expect(users).toEqual(['src/core/tracing.ts']);
  });

  it('keeps src/core from importing the app, the bots or the agents', () => {
    const offenders = files('src/core').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /\/(app|bots|agents)\//.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the bots free of SQL and model calls', () => {
    const offenders = files('src/bots').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^(kysely|pg|@langchain\/)/.test(spec) || /\/core\/(db|.*repository)/.test(spec))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
