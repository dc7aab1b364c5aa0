// A real OpenID provider (oidc-provider) on loopback for the single sign-on tests: authorization code with PKCE, the
// login step answered by the test (whoever it names signs in), consent taken as given.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import request from 'supertest';
import { expect } from 'vitest';

export interface OidcAccount {
  sub: string;
  email: string;
  name: string;
  emailVerified?: boolean;
}

export async function startOidcProvider(opts: { clientId: string; clientSecret: string; redirectUri: string }) {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, OidcAccount>();
  /** Who the next login step signs in. */
  let next: OidcAccount | null = null;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['loopback-provider-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: a.email, email_verified: a.emailVerified ?? true, name: a.name }),
      };
    },
    // Consent is taken as given for the scopes the app asks.
    loadExistingGrant: async (ctx: {
      oidc: { client: { clientId: string }; session: { accountId: string }; provider: Provider };
    }) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void (async () => {
      await provider.interactionDetails(req, res);
      if (!next) throw new Error('the test did not say who signs in');
      accounts.set(next.sub, next);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: next.sub } },
        { mergeWithLastSubmission: false },
      );
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  return {
    issuer,
    /** Follows the provider's redirects as `account` until it sends the browser back to the app; returns that URL. */
    async signInAs(account: OidcAccount, authorizationUrl: string): Promise<URL> {
      next = account;
      const browser = request.agent(issuer);
      let url = new URL(authorizationUrl);
      for (let hops = 0; hops < 10 && url.origin === issuer; hops++) {
        const res = await browser.get(url.pathname + url.search);
        expect([302, 303], res.text.slice(0, 300)).toContain(res.status);
        url = new URL(String(res.headers.location), issuer);
      }
      return url;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
