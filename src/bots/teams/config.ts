import { z } from 'zod';

/**
 * The Teams settings as a zod fragment over the environment. src/app/config.ts spreads it into its
 * schema, so the variables are parsed there once with everything else.
 */
export const teamsConfigShape = {
  /** The bot's Microsoft Entra app id. Empty disables Bot Framework authentication (local mode only). */
  MICROSOFT_APP_ID: z.string().trim().default(''),
  MICROSOFT_APP_PASSWORD: z.string().trim().default(''),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MICROSOFT_APP_TENANT_ID: z.string().trim().default(''),
  /**
   * `true` mounts POST /api/messages even without an app id (unauthenticated, local mode only);
   * `false` never mounts it. Unset: mounted exactly when MICROSOFT_APP_ID is set.
   */
  TEAMS_ENABLED: z
    .enum(['', 'true', 'false'])
    .optional()
    .transform((value) => (value === undefined || value === '' ? undefined : value === 'true')),
};

/** The slice of the app configuration the Teams adapter reads. */
export interface TeamsSettings {
  MICROSOFT_APP_ID: string;
  MICROSOFT_APP_PASSWORD: string;
  MICROSOFT_APP_TYPE: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  MICROSOFT_APP_TENANT_ID: string;
  TEAMS_ENABLED?: boolean | undefined;
  NODE_ENV: string;
  localMode: boolean;
}

/** A start-up error that names the setting; the app prints it and exits. */
export class TeamsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Whether the app should mount the Teams endpoint at all. */
export function teamsEnabled(settings: Pick<TeamsSettings, 'MICROSOFT_APP_ID' | 'TEAMS_ENABLED'>): boolean {
  return settings.TEAMS_ENABLED ?? settings.MICROSOFT_APP_ID !== '';
}

export interface TeamsAuthMode {
  /** True when no app id is configured: every request is accepted without a token. */
  authDisabled: boolean;
}

/**
 * Checks the combination of settings before anything listens. Unauthenticated Teams traffic is a
 * developer convenience: refused outright in production, allowed in local mode with a warning.
 */
export function checkTeamsSettings(
  settings: TeamsSettings,
  log: { warn(obj: object | string, msg?: string): void },
): TeamsAuthMode {
  const appId = settings.MICROSOFT_APP_ID;
  if (appId === '') {
    if (settings.NODE_ENV === 'production') {
      throw new TeamsConfigError(
        'Invalid MICROSOFT_APP_ID: it is missing, and NODE_ENV=production refuses unauthenticated Teams traffic',
      );
    }
    if (!settings.localMode) {
      throw new TeamsConfigError(
        'Invalid MICROSOFT_APP_ID: it is missing; unauthenticated Teams traffic is allowed only in local mode (no DATABASE_URL)',
      );
    }
    log.warn(
      { setting: 'MICROSOFT_APP_ID' },
      '!!! Teams authentication is DISABLED (MICROSOFT_APP_ID is empty): anyone who can reach POST /api/messages can act as any user. Local development only. !!!',
    );
    return { authDisabled: true };
  }
  if (settings.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && settings.MICROSOFT_APP_PASSWORD === '') {
    throw new TeamsConfigError(
      `Invalid MICROSOFT_APP_PASSWORD: it is missing (required with MICROSOFT_APP_TYPE=${settings.MICROSOFT_APP_TYPE})`,
    );
  }
  if (settings.MICROSOFT_APP_TYPE !== 'MultiTenant' && settings.MICROSOFT_APP_TENANT_ID === '') {
    throw new TeamsConfigError(
      `Invalid MICROSOFT_APP_TENANT_ID: it is missing (required with MICROSOFT_APP_TYPE=${settings.MICROSOFT_APP_TYPE})`,
    );
  }
  return { authDisabled: false };
}
