import { z } from 'zod';
import { slackConfigFrom, slackEnvShape } from '../bots/slack/config.ts';
import {
  checkTeamsSettings,
  TeamsConfigError,
  teamsConfigShape,
  teamsEnabled,
} from '../bots/teams/config.ts';
import type { CoreConfig } from '../core/config.ts';
import { parseCidrs } from '../core/webhooks/webhook.url.ts';

/** A start-up error naming the setting; the CLI prints its message as one line and exits. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** An optional URL setting: blank is unset, anything else must pass `url`. */
const optionalUrl = (url: z.ZodURL) => optionalString.pipe(url.optional());

const postgresUrl = optionalUrl(
  z.url({
    protocol: /^postgres(ql)?$/,
    error: 'expected a postgres:// URL, e.g. postgres://user:pass@host:5432/db',
  }),
);

const redisUrl = optionalUrl(
  z.url({ protocol: /^rediss?$/, error: 'expected a redis:// URL, e.g. redis://127.0.0.1:6379' }),
);

/** An http(s) base URL without its trailing slash, so paths can be appended as `${url}/path`. */
const publicUrlError = 'expected an http(s) URL without query or fragment, e.g. https://helpdesk.example.com';
const publicUrl = optionalUrl(
  z
    .url({ protocol: /^https?$/, error: publicUrlError })
    .refine((value) => !/[?#]/.test(value), { error: publicUrlError }),
).transform((value) => value?.replace(/\/+$/, ''));

const port = z
  .string()
  .trim()
  .default('3000')
  .refine((value) => /^\d+$/.test(value) && Number(value) < 65536, {
    message: 'expected a port number from 0 to 65535',
  })
  .transform(Number);

/** An optional port: blank or unset is off. */
const optionalPort = z
  .string()
  .trim()
  .optional()
  .refine((value) => value === undefined || value === '' || (/^\d+$/.test(value) && Number(value) < 65536), {
    message: 'expected a port number from 0 to 65535',
  })
  .transform((value) => (value === undefined || value === '' ? undefined : Number(value)));

const boolean = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((value) => value === undefined || ['', 'true', 'false', '1', '0', 'yes', 'no'].includes(value), {
      message: 'expected true or false',
    })
    .transform((value) =>
      value === undefined || value === '' ? fallback : ['true', '1', 'yes'].includes(value),
    );

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || value === '' || /^\d+$/.test(value), {
      message: 'expected a whole number',
    })
    .transform((value) => (value === undefined || value === '' ? fallback : Number(value)));

/** A number within [min, max] (decimals allowed), `fallback` when unset. */
const boundedNumber = (fallback: number, min: number, max: number, unit: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine(
      (value) =>
        value === undefined ||
        value === '' ||
        (/^\d+(\.\d+)?$/.test(value) && Number(value) >= min && Number(value) <= max),
      { message: `expected a number of ${unit} from ${min} to ${max}` },
    )
    .transform((value) => (value === undefined || value === '' ? fallback : Number(value)));

/** `true`/`false`, or comma-separated CIDR ranges (`10.20.0.0/16,fd00::/8`). */
const allowPrivate = z
  .string()
  .trim()
  .optional()
  .transform((value) => {
    const lower = (value ?? '').toLowerCase();
    if (lower === '' || lower === 'false' || lower === 'no' || lower === '0') return [] as string[];
    if (lower === 'true' || lower === 'yes' || lower === '1') return 'all' as const;
    return lower
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  })
  .refine((value) => value === 'all' || parseCidrs(value).ok, {
    message: 'expected true, false or comma-separated CIDR ranges, e.g. 10.20.0.0/16,fd00::/8',
  });

/** `key=value` pairs separated by commas, e.g. `resolved=Resolve this issue,closed=Close`. */
const pairs = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : value))
    .refine((value) => value.split(',').every((pair) => /^[^=,]+=[^=,]+$/.test(pair.trim())), {
      message: 'expected comma-separated name=value pairs',
    })
    .transform((value) =>
      Object.fromEntries(
        value.split(',').map((pair) => {
          const [key = '', val = ''] = pair.split('=');
          return [key.trim(), val.trim()];
        }),
      ),
    );

/** What JSM_STATUSES may map to, and what JSM_TRANSITIONS may map from. */
const STATUS_NAMES = new Set(['open', 'pending', 'resolved', 'closed']);

/** The JSM settings that must come together. */
const JSM_SETTINGS = [
  'JSM_URL',
  'JSM_EMAIL',
  'JSM_API_TOKEN',
  'JSM_SERVICE_DESK_ID',
  'JSM_REQUEST_TYPE_ID',
] as const;

/** `key=value,key2=value2` (values URL-encoded), as the OpenTelemetry specification writes headers. */
const otlpHeaders = optionalString
  .refine(
    (value) => value === undefined || value.split(',').every((pair) => /^\s*[^=\s]+\s*=.*$/.test(pair)),
    { message: 'expected key=value pairs separated by commas, e.g. authorization=Bearer%20abc' },
  )
  .transform((value) => {
    if (value === undefined) return undefined;
    const headers: Record<string, string> = {};
    for (const pair of value.split(',')) {
      const at = pair.indexOf('=');
      headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    }
    return headers;
  });

/** Azure OpenAI is used only with all three; any one of them alone is a mistake worth stopping for. */
const AZURE_SETTINGS = ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT'] as const;

const settingsSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: port,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: postgresUrl,
  /** Postgres schema for the app's tables (tests use one per file). */
  DATABASE_SCHEMA: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase schema name')
    .default('public'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]+$/i, 'expected letters, digits, _ or -')
    .default('helpdesk'),
  WORKER_CONCURRENCY: positiveInt(8),
  /**
   * How long a delivery that keeps failing with a transient error (5xx, timeouts, connection
   * refused) is retried before it becomes a dead letter. Rate limits and paused workspaces do not
   * count. Hours, 0.01–168.
   */
  DELIVERY_RETRY_HOURS: boundedNumber(4, 0.01, 168, 'hours'),
  /** The longest wait between two such retries (the backoff doubles from 1 s up to this). 1–3600. */
  DELIVERY_BACKOFF_MAX_SECONDS: boundedNumber(300, 1, 3600, 'seconds'),
  /** `helpdesk worker` serves /healthz, /readyz and /metrics on this port; unset, it serves nothing. */
  WORKER_HEALTH_PORT: optionalPort,
  /** Where Slack and Teams reach this server (digest chart images); unset, the digest is text only. */
  PUBLIC_URL: publicUrl,
  HELPDESK_ADMINS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every((entry) => entry.includes('@') || /^\w+:.+/.test(entry)), {
      message: 'expected comma-separated e-mails or platform:userId entries',
    }),
  /** Run the local console chat in `start` when no platform is configured and stdin is a TTY. */
  CONSOLE: boolean(true),
  /** REST API: requests per minute per API key (a token bucket on the key's row, shared by every process). */
  API_RATE_LIMIT_PER_MINUTE: positiveInt(120).refine((value) => value >= 1, {
    message: 'expected a whole number of requests per minute, at least 1',
  }),
  // Agents: any OpenAI-compatible model when configured, the built-in local models otherwise.
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  /** An OpenAI-compatible server (Ollama, vLLM, LiteLLM); a key is optional for these. */
  OPENAI_BASE_URL: optionalUrl(z.url({ error: 'expected a URL, e.g. http://127.0.0.1:11434/v1' })),
  /** Embeddings model for vector search (used only where pgvector exists), e.g. text-embedding-3-small. */
  OPENAI_EMBEDDINGS_MODEL: optionalString,
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_ENDPOINT: optionalUrl(
    z.url({ error: 'expected a URL, e.g. https://my-resource.openai.azure.com' }),
  ),
  AZURE_OPENAI_DEPLOYMENT: optionalString,
  AZURE_OPENAI_API_VERSION: z.string().trim().min(1).default('2024-10-21'),
  /** One message's budget for all of its model calls together; past it the local models answer. */
  LLM_TIMEOUT_MS: positiveInt(15_000),
  /** Consecutive failed model calls that open the provider's circuit breaker. */
  LLM_BREAKER_FAILURES: positiveInt(3).refine((value) => value >= 1, {
    message: 'expected a whole number of failures, at least 1',
  }),
  /** How long an open breaker stops calling the provider (a longer Retry-After wins); then one probe. */
  LLM_BREAKER_COOLDOWN_MS: positiveInt(30_000),
  /** The longest answer asked of the model (max_tokens). */
  LLM_MAX_TOKENS: positiveInt(1024).refine((value) => value >= 256, {
    message: 'expected a whole number of tokens, at least 256 (a triage and an answer need room)',
  }),
  /** Identical redacted questions within this window reuse the cached model answer. */
  LLM_CACHE_TTL_SECONDS: positiveInt(3600),
  // Outbound webhooks (docs/webhooks.md).
  WEBHOOK_TIMEOUT_MS: positiveInt(5000),
  WEBHOOK_DISABLE_AFTER_DAYS: positiveInt(3),
  WEBHOOK_ALLOW_PRIVATE: allowPrivate,
  // Jira Service Management (docs/jsm.md): on when JSM_URL and its companions are set.
  JSM_URL: publicUrl,
  JSM_EMAIL: optionalString,
  JSM_API_TOKEN: optionalString,
  JSM_SERVICE_DESK_ID: optionalString,
  JSM_REQUEST_TYPE_ID: optionalString,
  JSM_WEBHOOK_SECRET: optionalString,
  JSM_TIMEOUT_MS: positiveInt(10_000),
  JSM_TRANSITIONS: pairs('pending=Pending,resolved=Resolve this issue,closed=Close'),
  JSM_STATUSES: pairs(
    'In Progress=open,Work in progress=open,Waiting for customer=pending,Pending=pending,Resolved=resolved,Done=resolved,Closed=closed,Canceled=closed',
  ),
  // Tracing (OpenTelemetry): on only when the endpoint is set.
  /** OTLP/HTTP base URL of a collector (http://otel-collector:4318); spans go to `<url>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(
    z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://127.0.0.1:4318' }),
  ),
  /** Names the service in traces; default helpdesk-serve, helpdesk-worker or helpdesk by process. */
  OTEL_SERVICE_NAME: optionalString,
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders,
  /** Spans are sent as OTLP/HTTP JSON; other encodings are refused rather than ignored. */
  OTEL_EXPORTER_OTLP_PROTOCOL: optionalString.pipe(
    z.enum(['http/json'], { error: 'only http/json is supported (OTLP over HTTP with JSON)' }).optional(),
  ),
  // Microsoft Teams (Bot Framework): MICROSOFT_APP_ID / _PASSWORD / _TYPE / _TENANT_ID, TEAMS_ENABLED.
  ...teamsConfigShape,
  // Slack: SLACK_BOT_TOKEN enables it; SLACK_SIGNING_SECRET (HTTP) and/or SLACK_APP_TOKEN (Socket Mode); SLACK_API_URL.
  ...slackEnvShape,
});

/** Every setting, plus the rules that span several of them. */
export const configSchema = settingsSchema.superRefine((config, ctx) => {
  // Half an Azure configuration would otherwise be ignored in silence and the local models used.
  const set = AZURE_SETTINGS.filter((name) => config[name] !== undefined);
  const missing = AZURE_SETTINGS.find((name) => config[name] === undefined);
  if (set.length > 0 && missing) {
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: `Azure OpenAI needs it too, since ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set`,
    });
  }
  checkJsm(config, ctx);
});

/** Half a JSM configuration, or a status mapping to a status the helpdesk does not have. */
function checkJsm(config: z.infer<typeof settingsSchema>, ctx: z.RefinementCtx): void {
  const set = JSM_SETTINGS.filter((name) => config[name] !== undefined);
  const missing = JSM_SETTINGS.find((name) => config[name] === undefined);
  if (set.length > 0 && missing) {
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: `the JSM connector needs it too, since ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set`,
    });
  }
  const badStatus = Object.values(config.JSM_STATUSES).find((status) => !STATUS_NAMES.has(status));
  if (badStatus !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['JSM_STATUSES'],
      message: `${badStatus} is not a helpdesk status (open, pending, resolved, closed)`,
    });
  const badTransition = Object.keys(config.JSM_TRANSITIONS).find((status) => !STATUS_NAMES.has(status));
  if (badTransition !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['JSM_TRANSITIONS'],
      message: `${badTransition} is not a helpdesk status (open, pending, resolved, closed)`,
    });
}

/** The core's view of the webhook and JSM settings. */
export function integrationSettings(config: Config): Pick<CoreConfig, 'webhooks' | 'jsm'> {
  const jsm =
    config.JSM_URL &&
    config.JSM_EMAIL &&
    config.JSM_API_TOKEN &&
    config.JSM_SERVICE_DESK_ID &&
    config.JSM_REQUEST_TYPE_ID
      ? {
          url: config.JSM_URL,
          email: config.JSM_EMAIL,
          apiToken: config.JSM_API_TOKEN,
          serviceDeskId: config.JSM_SERVICE_DESK_ID,
          requestTypeId: config.JSM_REQUEST_TYPE_ID,
          webhookSecret: config.JSM_WEBHOOK_SECRET,
          timeoutMs: config.JSM_TIMEOUT_MS,
          transitions: config.JSM_TRANSITIONS,
          statuses: Object.fromEntries(
            Object.entries(config.JSM_STATUSES).map(([name, status]) => [name.toLowerCase(), status]),
          ),
        }
      : undefined;
  return {
    webhooks: {
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      disableAfterDays: config.WEBHOOK_DISABLE_AFTER_DAYS,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      production: config.NODE_ENV === 'production',
    },
    jsm,
  };
}

export type Config = Readonly<
  z.infer<typeof configSchema> & {
    /** No DATABASE_URL: embedded PGlite, console, and relaxed platform auth with warnings. */
    localMode: boolean;
  }
>;

/** Parses the environment once; a bad setting throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'configuration';
    const received = issue ? env[name] : undefined;
    const shown = received === undefined ? 'it is missing' : `got ${JSON.stringify(truncate(received))}`;
    throw new ConfigError(`Invalid ${name}: ${issue?.message ?? 'invalid value'} (${shown})`);
  }
  return Object.freeze({ ...parsed.data, localMode: parsed.data.DATABASE_URL === undefined });
}

/**
 * The platform rules that span several settings: half a Slack or Teams configuration is an error,
 * never a platform silently left off. The CLI checks them with the rest of the configuration,
 * before anything is opened; tools that read one setting (the Teams packager) need not.
 */
export function checkPlatformSettings(config: Config): void {
  const slack = slackConfigFrom(config);
  if (slack.kind === 'invalid') throw new ConfigError(`Invalid ${slack.variable}: ${slack.message}`);
  if (teamsEnabled(config)) {
    try {
      // Its warning about disabled authentication is logged when Teams is mounted.
      checkTeamsSettings(config, { warn() {} });
    } catch (error) {
      if (error instanceof TeamsConfigError) throw new ConfigError(error.message);
      throw error;
    }
    return;
  }
  const set = (['MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID'] as const).filter((name) => config[name]);
  if (set.length > 0 && config.TEAMS_ENABLED === undefined) {
    throw new ConfigError(
      `Invalid MICROSOFT_APP_ID: it is missing, so Teams is off although ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set (set it, or TEAMS_ENABLED=false)`,
    );
  }
}

/**
 * Production runs against a real Postgres: without DATABASE_URL the process would open an embedded
 * database in DATA_DIR (and, in the image, fail on a read-only directory without naming the setting).
 */
export function checkProductionSettings(config: Config): void {
  if (config.NODE_ENV === 'production' && !config.DATABASE_URL)
    throw new ConfigError(
      'Invalid DATABASE_URL: it is missing, and NODE_ENV=production needs a Postgres server (postgres://user:pass@host:5432/db); the embedded database is for local use',
    );
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
