import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * The Slack slice of the environment schema. `src/app/config.ts` spreads it into its schema
 * (`...slackEnvShape`) and calls `slackConfigFrom(config)`; nothing here reads `process.env`.
 */
export const slackEnvShape = {
  /** Bot token (xoxb-...): Slack is enabled when it is set. */
  SLACK_BOT_TOKEN: optionalString,
  /** Verifies `POST /slack/events`; required unless Socket Mode is used. */
  SLACK_SIGNING_SECRET: optionalString,
  /** App-level token (xapp-...) with connections:write: switches on Socket Mode. */
  SLACK_APP_TOKEN: optionalString.refine((value) => value === undefined || value.startsWith('xapp-'), {
    message: 'expected an app-level token starting with xapp-',
  }),
  /** Web API base URL (enterprise proxies, the project's tests). */
  SLACK_API_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://slack.com/api/' })
      .optional(),
  ),
};

export interface SlackEnv {
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
  SLACK_APP_TOKEN?: string | undefined;
  SLACK_API_URL?: string | undefined;
}

export interface SlackConfig {
  botToken: string;
  /** Absent only in Socket Mode. */
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  /** Always ends with '/', as the WebClient expects. */
  apiUrl: string;
}

export type SlackConfigResult =
  | { kind: 'disabled' }
  | { kind: 'enabled'; config: SlackConfig }
  | { kind: 'invalid'; variable: keyof SlackEnv; message: string };

/** Slack is on when a bot token is set; then HTTP needs the signing secret unless Socket Mode is on. */
export function slackConfigFrom(env: SlackEnv): SlackConfigResult {
  if (!env.SLACK_BOT_TOKEN) {
    if (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) {
      return {
        kind: 'invalid',
        variable: 'SLACK_BOT_TOKEN',
        message: 'is required when Slack is configured',
      };
    }
    return { kind: 'disabled' };
  }
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    return {
      kind: 'invalid',
      variable: 'SLACK_SIGNING_SECRET',
      message: 'is required for POST /slack/events (or set SLACK_APP_TOKEN for Socket Mode)',
    };
  }
  const base = env.SLACK_API_URL ?? 'https://slack.com/api/';
  return {
    kind: 'enabled',
    config: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: base.endsWith('/') ? base : `${base}/`,
    },
  };
}
