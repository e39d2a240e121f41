import { describe, expect, it } from 'vitest';
import { createModel } from '../agents/llm/model.ts';
import {
  ConfigError,
  checkPlatformSettings,
  checkProductionSettings,
  configSchema,
  loadConfig,
} from './config.ts';

describe('loadConfig', () => {
  it('starts in local mode with no environment at all', () => {
    const config = loadConfig({});
    expect(config.localMode).toBe(true);
    expect(config.PORT).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable and what it expected when a setting is wrong', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      new ConfigError('Invalid PORT: expected a port number from 0 to 65535 (got "abc")'),
    );
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(
      /Invalid REDIS_URL: expected a redis:\/\/ URL/,
    );
    expect(() => loadConfig({ HELPDESK_ADMINS: 'bob' })).toThrow(/Invalid HELPDESK_ADMINS/);
  });

  it('reads PUBLIC_URL as an http(s) base without its trailing slash, and names it when it is wrong', () => {
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: '' }).PUBLIC_URL).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://helpdesk.example.com/' }).PUBLIC_URL).toBe(
      'https://helpdesk.example.com',
    );
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:3000/it//' }).PUBLIC_URL).toBe(
      'http://10.0.0.5:3000/it',
    );
    for (const bad of ['helpdesk.example.com', 'ftp://example.com', 'https://example.com/?a=1'])
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow(/^Invalid PUBLIC_URL: expected an http\(s\) URL/);
  });

  it('checks the scheme of each URL setting and treats a blank one as unset', () => {
    const ok = {
      DATABASE_URL: 'postgresql://helpdesk:secret@127.0.0.1:5432/helpdesk',
      REDIS_URL: 'rediss://127.0.0.1:6380/0',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      SLACK_API_URL: 'http://127.0.0.1:4010/api/',
    };
    expect(loadConfig(ok)).toMatchObject(ok);
    expect(loadConfig({ DATABASE_URL: ' ', REDIS_URL: '' })).toMatchObject({
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      localMode: true,
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://127.0.0.1/helpdesk' })).toThrow(
      /^Invalid DATABASE_URL: expected a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ OPENAI_BASE_URL: 'not a url' })).toThrow(
      /^Invalid OPENAI_BASE_URL: expected a URL/,
    );
    expect(() => loadConfig({ SLACK_API_URL: 'slack.com/api' })).toThrow(
      /^Invalid SLACK_API_URL: expected an http\(s\) URL/,
    );
  });

  it('reads the model limits (issue 14) with defaults, and names a wrong one', () => {
    expect(loadConfig({})).toMatchObject({
      LLM_TIMEOUT_MS: 15_000,
      LLM_BREAKER_FAILURES: 3,
      LLM_BREAKER_COOLDOWN_MS: 30_000,
      LLM_MAX_TOKENS: 1024,
    });
    expect(() => loadConfig({ LLM_BREAKER_FAILURES: '0' })).toThrow(
      /^Invalid LLM_BREAKER_FAILURES: expected a whole number of failures, at least 1/,
    );
    expect(() => loadConfig({ LLM_BREAKER_COOLDOWN_MS: 'soon' })).toThrow(
      /^Invalid LLM_BREAKER_COOLDOWN_MS: expected a whole number/,
    );
    expect(() => loadConfig({ LLM_MAX_TOKENS: '100' })).toThrow(
      /^Invalid LLM_MAX_TOKENS: expected a whole number of tokens, at least 256/,
    );
  });

  it('reads the delivery retry settings within their ranges and names a wrong one', () => {
    expect(loadConfig({})).toMatchObject({ DELIVERY_RETRY_HOURS: 4, DELIVERY_BACKOFF_MAX_SECONDS: 300 });
    expect(loadConfig({ DELIVERY_RETRY_HOURS: '0.5' }).DELIVERY_RETRY_HOURS).toBe(0.5);
    expect(loadConfig({ DELIVERY_BACKOFF_MAX_SECONDS: '60' }).DELIVERY_BACKOFF_MAX_SECONDS).toBe(60);
    for (const bad of ['0', '-1', '200', 'forever', '1e3'])
      expect(() => loadConfig({ DELIVERY_RETRY_HOURS: bad })).toThrow(
        new ConfigError(
          `Invalid DELIVERY_RETRY_HOURS: expected a number of hours from 0.01 to 168 (got "${bad}")`,
        ),
      );
    expect(() => loadConfig({ DELIVERY_BACKOFF_MAX_SECONDS: '0' })).toThrow(
      /^Invalid DELIVERY_BACKOFF_MAX_SECONDS: expected a number of seconds from 1 to 3600/,
    );
  });

  it('reads WORKER_HEALTH_PORT as an optional port: unset or blank is off, a wrong one is named', () => {
    expect(loadConfig({}).WORKER_HEALTH_PORT).toBeUndefined();
    expect(loadConfig({ WORKER_HEALTH_PORT: '' }).WORKER_HEALTH_PORT).toBeUndefined();
    expect(loadConfig({ WORKER_HEALTH_PORT: '3001' }).WORKER_HEALTH_PORT).toBe(3001);
    expect(() => loadConfig({ WORKER_HEALTH_PORT: '70000' })).toThrow(
      new ConfigError('Invalid WORKER_HEALTH_PORT: expected a port number from 0 to 65535 (got "70000")'),
    );
  });

  it('refuses production without DATABASE_URL, naming it, and allows it everywhere else', () => {
    expect(() => checkProductionSettings(loadConfig({ NODE_ENV: 'production' }))).toThrow(
      /^Invalid DATABASE_URL: it is missing, and NODE_ENV=production needs a Postgres server/,
    );
    expect(() => checkProductionSettings(loadConfig({ NODE_ENV: 'development' }))).not.toThrow();
    expect(() =>
      checkProductionSettings(
        loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://helpdesk@db:5432/helpdesk' }),
      ),
    ).not.toThrow();
  });

  it('reads admins as e-mails or platform:userId entries', () => {
    expect(loadConfig({ HELPDESK_ADMINS: 'a@x.io, slack:U123' }).HELPDESK_ADMINS).toEqual([
      'a@x.io',
      'slack:U123',
    ]);
  });
});

describe('platform settings (checked by the CLI with the rest, before anything is opened)', () => {
  const check = (env: Record<string, string>) => checkPlatformSettings(loadConfig(env));

  it('refuses a Teams password or tenant without the app id instead of leaving Teams off in silence', () => {
    expect(() => check({ NODE_ENV: 'production', MICROSOFT_APP_PASSWORD: 'secret' })).toThrow(
      new ConfigError(
        'Invalid MICROSOFT_APP_ID: it is missing, so Teams is off although MICROSOFT_APP_PASSWORD is set (set it, or TEAMS_ENABLED=false)',
      ),
    );
    expect(() => check({ MICROSOFT_APP_TENANT_ID: 'tenant' })).toThrow(/^Invalid MICROSOFT_APP_ID: /);
    // Teams switched off on purpose keeps its other settings without complaint.
    expect(() => check({ MICROSOFT_APP_PASSWORD: 'secret', TEAMS_ENABLED: 'false' })).not.toThrow();
  });

  it('applies the Teams start-up rules when Teams is on', () => {
    expect(() => check({ MICROSOFT_APP_ID: 'app' })).toThrow(/^Invalid MICROSOFT_APP_PASSWORD: /);
    expect(() =>
      check({
        MICROSOFT_APP_ID: 'app',
        MICROSOFT_APP_PASSWORD: 'p',
        MICROSOFT_APP_TYPE: 'SingleTenant',
      }),
    ).toThrow(/^Invalid MICROSOFT_APP_TENANT_ID: /);
    expect(() => check({ NODE_ENV: 'production', TEAMS_ENABLED: 'true' })).toThrow(
      /^Invalid MICROSOFT_APP_ID: it is missing, and NODE_ENV=production/,
    );
    expect(() => check({ TEAMS_ENABLED: 'true' })).not.toThrow();
    // Reading one setting is not refused: the Teams packager needs only the app id.
    expect(loadConfig({ MICROSOFT_APP_ID: 'app' }).MICROSOFT_APP_ID).toBe('app');
  });

  it('refuses half a Slack configuration', () => {
    expect(() => check({ SLACK_SIGNING_SECRET: 'x' })).toThrow(
      new ConfigError('Invalid SLACK_BOT_TOKEN: is required when Slack is configured'),
    );
    expect(() => check({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/^Invalid SLACK_SIGNING_SECRET: /);
  });
});

describe('model settings', () => {
  const azure = {
    AZURE_OPENAI_API_KEY: 'azure-key',
    AZURE_OPENAI_ENDPOINT: 'https://my-resource.openai.azure.com',
    AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
  };

  it('refuses half an Azure OpenAI configuration, naming the missing variable', () => {
    expect(() => loadConfig({ AZURE_OPENAI_API_KEY: 'azure-key' })).toThrow(
      new ConfigError(
        'Invalid AZURE_OPENAI_ENDPOINT: Azure OpenAI needs it too, since AZURE_OPENAI_API_KEY is set (it is missing)',
      ),
    );
    const { AZURE_OPENAI_DEPLOYMENT: _, ...noDeployment } = azure;
    expect(() => loadConfig(noDeployment)).toThrow(/^Invalid AZURE_OPENAI_DEPLOYMENT: .*\(it is missing\)$/);
    expect(() => loadConfig({ AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini' })).toThrow(
      /^Invalid AZURE_OPENAI_API_KEY: /,
    );
    // Blank values count as unset, as everywhere else.
    expect(
      loadConfig({ AZURE_OPENAI_API_KEY: '', AZURE_OPENAI_ENDPOINT: '' }).AZURE_OPENAI_API_KEY,
    ).toBeUndefined();
  });

  it('uses Azure OpenAI when all three of its settings are given', () => {
    expect(createModel(loadConfig(azure))?.name).toBe('azure:gpt-4o-mini');
  });

  it('gives a model 15 s by default before falling back to the local models', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-test-not-a-real-key' });
    expect(config.LLM_TIMEOUT_MS).toBe(15_000);
    const chat = createModel(config)?.chat as unknown as { timeout?: number } | undefined;
    expect(chat?.timeout).toBe(15_000);
    expect(loadConfig({ LLM_TIMEOUT_MS: '800' }).LLM_TIMEOUT_MS).toBe(800);
  });
});

describe('the REST API rate limit', () => {
  it('allows 120 requests a minute per key by default and names the setting when it is not a positive number', () => {
    expect(loadConfig({}).API_RATE_LIMIT_PER_MINUTE).toBe(120);
    expect(loadConfig({ API_RATE_LIMIT_PER_MINUTE: '5' }).API_RATE_LIMIT_PER_MINUTE).toBe(5);
    expect(() => loadConfig({ API_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      'Invalid API_RATE_LIMIT_PER_MINUTE: expected a whole number of requests per minute, at least 1 (got "0")',
    );
    expect(() => loadConfig({ API_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(
      /^Invalid API_RATE_LIMIT_PER_MINUTE: expected a whole number/,
    );
  });
});

describe('webhook and JSM settings', () => {
  it('names WEBHOOK_ALLOW_PRIVATE when a CIDR range is malformed, and reads true or a list', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/40' })).toThrow(
      /^Invalid WEBHOOK_ALLOW_PRIVATE: /,
    );
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe('all');
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: '10.20.0.0/16, fd00::/8' }).WEBHOOK_ALLOW_PRIVATE).toEqual([
      '10.20.0.0/16',
      'fd00::/8',
    ]);
  });

  it('refuses half a JSM configuration and a status mapping to an unknown status, naming the setting', () => {
    expect(() => loadConfig({ JSM_URL: 'https://example.atlassian.net' })).toThrow(
      /^Invalid JSM_EMAIL: the JSM connector needs it too, since JSM_URL is set/,
    );
    expect(() => loadConfig({ JSM_STATUSES: 'Done=finished' })).toThrow(
      /^Invalid JSM_STATUSES: finished is not/,
    );
    expect(() => loadConfig({ JSM_TRANSITIONS: 'resolved' })).toThrow(/^Invalid JSM_TRANSITIONS: expected/);
  });
});

describe('.env.example', () => {
  it('documents every setting the configuration reads, and nothing else', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('holds values that load as a valid configuration', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(loadConfig(env).localMode).toBe(true);
  });
});
