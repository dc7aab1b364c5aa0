// The OpenID Connect client (openid-client v6): discovery of the company's issuer (kept a few minutes per company and
// settings version), the authorization URL with PKCE, state and nonce, and the code exchange that checks all three.
import { LRUCache } from 'lru-cache';
import type { Configuration } from 'openid-client';

/** The library, loaded at the first SSO sign-in rather than in every process at start (issue 23: RSS). */
const openid = () => import('openid-client');

export interface ProviderSettings {
  companyId: number;
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  updatedAt: Date;
}

/** What this browser must bring back from the provider (kept in its session). */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface ProviderIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

const configs = new LRUCache<string, Configuration>({ max: 500, ttl: 10 * 60_000 });

/** Whether a URL is plain http on a loopback address (allowed only when SSO_ALLOW_HTTP_LOOPBACK is set: tests). */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

async function configurationOf(p: ProviderSettings, allowHttpLoopback: boolean): Promise<Configuration> {
  const key = `${p.companyId}:${p.updatedAt.getTime()}`;
  const cached = configs.get(key);
  if (cached) return cached;
  const oidc = await openid();
  const issuer = new URL(p.issuerUrl);
  const insecure = allowHttpLoopback && isLoopbackHttp(issuer);
  const config = await oidc.discovery(issuer, p.clientId, p.clientSecret, undefined, {
    execute: insecure ? [oidc.allowInsecureRequests] : [],
    timeout: 10,
  });
  configs.set(key, config);
  return config;
}

/** The provider's authorization URL for this sign-in, and the checks to keep until it comes back. */
export async function authorizationUrl(
  p: ProviderSettings,
  redirectUri: string,
  opts: { allowHttpLoopback: boolean; loginHint: string },
): Promise<{ url: URL; checks: AuthorizationChecks }> {
  const config = await configurationOf(p, opts.allowHttpLoopback);
  const oidc = await openid();
  const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: 'S256',
    state: checks.state,
    nonce: checks.nonce,
    login_hint: opts.loginHint,
  });
  return { url, checks };
}

/**
 * Exchanges the code the provider sent back (`callbackUrl`: the redirect URI with its query) after checking the
 * state, then the ID token's signature, audience and nonce, with the PKCE verifier. Throws on any mismatch.
 */
export async function exchangeCode(
  p: ProviderSettings,
  callbackUrl: URL,
  checks: AuthorizationChecks,
  opts: { allowHttpLoopback: boolean },
): Promise<ProviderIdentity> {
  const config = await configurationOf(p, opts.allowHttpLoopback);
  const oidc = await openid();
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    pkceCodeVerifier: checks.codeVerifier,
    idTokenExpected: true,
  });
  const claims = tokens.claims()!;
  let info: Record<string, unknown> = claims;
  // Providers that keep the ID token small give the email on the userinfo endpoint.
  if (typeof claims.email !== 'string') info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  return {
    subject: claims.sub,
    email: typeof info.email === 'string' ? info.email.trim().toLowerCase() : null,
    // A provider that does not say is taken at its word only when it said nothing (email_verified absent).
    emailVerified: info.email_verified !== false,
    name: typeof info.name === 'string' ? info.name : null,
  };
}
