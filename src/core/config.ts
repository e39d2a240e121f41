/** The settings core reads, taken from the app's configuration once per process. */
export interface CoreConfig {
  /** First admins: e-mails or `platform:userId`. */
  admins: readonly string[];
  localMode: boolean;
  /** LLM_CACHE_TTL_SECONDS: cached model answers older than this are pruned (default 3600). */
  llmCacheTtlSeconds?: number | undefined;
  /** Base URL of this server as people reach it (download links); undefined when unknown. */
  publicUrl?: string | undefined;
  /** Outbound webhooks; absent, the defaults in `webhook.url.ts` / `webhook.deliver.ts` apply. */
  webhooks?: WebhookSettings | undefined;
  /** The Jira Service Management connector, when JSM_URL and its companions are set. */
  jsm?: JsmSettings | undefined;
}

export interface WebhookSettings {
  /** WEBHOOK_TIMEOUT_MS: one attempt's limit. */
  timeoutMs: number;
  /** WEBHOOK_DISABLE_AFTER_DAYS: a webhook failing this long is disabled. */
  disableAfterDays: number;
  /** WEBHOOK_ALLOW_PRIVATE: `all`, or the CIDR ranges of private networks that may be targets. */
  allowPrivate: 'all' | readonly string[];
  /** NODE_ENV=production: no plain-http localhost targets. */
  production: boolean;
}

export interface JsmSettings {
  /** The site, e.g. https://example.atlassian.net (no trailing slash). */
  url: string;
  email: string;
  apiToken: string;
  serviceDeskId: string;
  requestTypeId: string;
  /** Verifies POST /integrations/jsm/webhook; unset, the route refuses every call. */
  webhookSecret?: string | undefined;
  timeoutMs: number;
  /** Helpdesk status → the name of the JSM transition that gets a request there (outbound). */
  transitions: Readonly<Record<string, string>>;
  /** JSM status name (lower case) → helpdesk status (inbound). */
  statuses: Readonly<Record<string, string>>;
}
