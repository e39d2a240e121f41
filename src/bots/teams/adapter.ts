import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { TeamsSettings } from './config.ts';

// Public-cloud Bot Framework endpoints (botframework-connector's AuthenticationConstants), spelled
// out because overriding one of them makes the SDK expect all of them.
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/** Where inbound Bot Framework tokens are checked; defaults to the public cloud. */
export interface TeamsAuthEndpoints {
  openIdMetadataUrl: string;
  tokenIssuer: string;
}

/**
 * Supplies the outbound Bot Connector token instead of asking Entra ID with the app password
 * (custom identity setups, and tests that must never reach the internet).
 */
export interface ConnectorTokenSource {
  getToken(): Promise<string>;
}

export interface TeamsAdapterOptions {
  auth?: TeamsAuthEndpoints | undefined;
  connectorToken?: ConnectorTokenSource | undefined;
}

/** Builds the CloudAdapter with Bot Framework authentication from the MICROSOFT_APP_* settings. */
export function createTeamsAdapter(settings: TeamsSettings, options: TeamsAdapterOptions = {}): CloudAdapter {
  const appSettings: Record<string, string | boolean> = {
    MicrosoftAppId: settings.MICROSOFT_APP_ID,
    MicrosoftAppPassword: settings.MICROSOFT_APP_PASSWORD,
    MicrosoftAppType: settings.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: settings.MICROSOFT_APP_TENANT_ID,
  };
  if (options.auth) {
    Object.assign(appSettings, PUBLIC_CLOUD, {
      ValidateAuthority: true,
      ToBotFromChannelOpenIdMetadataUrl: options.auth.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: options.auth.tokenIssuer,
    });
  }
  const credentials = options.connectorToken
    ? tokenSourceFactory(settings.MICROSOFT_APP_ID, options.connectorToken)
    : undefined;
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(appSettings, credentials));
}

type CredentialsFactory = ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1];

/** A ServiceClientCredentialsFactory that signs connector requests with tokens from `source`. */
function tokenSourceFactory(appId: string, source: ConnectorTokenSource): CredentialsFactory {
  const signer = {
    async signRequest<T extends { headers: { set(name: string, value: string): void } }>(
      request: T,
    ): Promise<T> {
      request.headers.set('authorization', `Bearer ${await source.getToken()}`);
      return request;
    },
  };
  return {
    isValidAppId: async (candidate: string) => candidate === appId,
    isAuthenticationDisabled: async () => appId === '',
    createCredentials: async () => signer,
  } as unknown as CredentialsFactory;
}
