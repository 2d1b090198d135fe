// Where QuickBooks lives: Intuit production, Intuit's developer sandbox, or the local sandbox
// (sandbox/qbo). The environment is one setting per connection; nothing else in the code names
// an Intuit host.

export const ENVIRONMENTS = ['production', 'intuit-sandbox', 'local-sandbox'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface Endpoints {
  /** Accounting API origin; requests go to `${api}/v3/company/{realmId}/…`. */
  api: string;
  /** QBO web app, for deep links: `${web}/customerdetail?nameId=…`. */
  web: string;
  authorize: string;
  token: string;
  revoke: string;
  userinfo: string;
}

/** The local sandbox's default origin (npm run sandbox / npm start). */
export const LOCAL_SANDBOX_ORIGIN = 'http://127.0.0.1:4010';

export function endpointsFor(env: Environment, localOrigin = LOCAL_SANDBOX_ORIGIN): Endpoints {
  switch (env) {
    case 'production':
      return {
        api: 'https://quickbooks.api.intuit.com',
        web: 'https://app.qbo.intuit.com/app',
        authorize: 'https://appcenter.intuit.com/connect/oauth2',
        token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
        revoke: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
        userinfo: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
      };
    case 'intuit-sandbox':
      return {
        api: 'https://sandbox-quickbooks.api.intuit.com',
        web: 'https://app.sandbox.qbo.intuit.com/app',
        authorize: 'https://appcenter.intuit.com/connect/oauth2',
        token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
        revoke: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
        userinfo: 'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo',
      };
    case 'local-sandbox': {
      const o = localOrigin.replace(/\/+$/, '');
      return {
        api: o,
        web: `${o}/app`,
        authorize: `${o}/connect/oauth2`,
        token: `${o}/oauth2/v1/tokens/bearer`,
        revoke: `${o}/v2/oauth2/tokens/revoke`,
        userinfo: `${o}/v1/openid_connect/userinfo`,
      };
    }
  }
}

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  production: 'QuickBooks Online',
  'intuit-sandbox': 'Intuit sandbox',
  'local-sandbox': 'Local sandbox',
};
