// Configuration is read from the environment exactly once, here, validated with
// zod and frozen. Nothing else in the code base reads process.env.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Distinct characters and a Shannon estimate of the bits of a secret (a random one scores far above the floor). */
export function secretStrength(secret: string): { distinct: number; bits: number } {
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...secret].length;
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / length) * Math.log2(n / length);
  return { distinct: counts.size, bits: Math.round(perChar * length) };
}

const sessionSecret = z
  .string()
  .min(32, 'must be at least 32 characters')
  .superRefine((v, ctx) => {
    const { distinct, bits } = secretStrength(v);
    if (distinct < 8 || bits < 80)
      ctx.addIssue({
        code: 'custom',
        message:
          `too predictable (${distinct} distinct characters, about ${bits} bits): ` +
          'use a random value, e.g. `openssl rand -base64 48`',
      });
  });

const proxyNames = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (v: string) => {
  const [address = '', prefix, ...rest] = v.split('/');
  const family = isIP(address);
  if (!family || rest.length) return proxyNames.includes(v);
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Which proxies' X-Forwarded-For to believe (Express's `trust proxy`): `false`, a hop count, or the proxies'
 * addresses / CIDRs. `true` is refused: it believes whatever address a client writes in the header.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): number | string[] | false => {
    if (['false', '0', 'no'].includes(v)) return false;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    if (['true', 'yes'].includes(v)) {
      ctx.addIssue({
        code: 'custom',
        message:
          `'${v}' would believe any X-Forwarded-For a client sends; give the number of proxies in front of the app ` +
          '(e.g. 1) or their addresses (e.g. 10.0.0.0/8,127.0.0.1)',
      });
      return z.NEVER;
    }
    const list = v.split(',').map((a) => a.trim());
    if (!list.every(isProxyAddress)) {
      ctx.addIssue({ code: 'custom', message: 'must be a number of proxies or a comma-separated list of addresses' });
      return z.NEVER;
    }
    return list;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Loopback unless told otherwise (the Docker image sets 0.0.0.0). */
  HOST: z.string().min(1).default('127.0.0.1'),
  APP_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, '.data')),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  SESSION_SECRET: sessionSecret.optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Solicitudes <no-responder@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Failed sign-ins (src/auth/login-throttle.ts): free failures of one account from one IP, then growing delays
  // (1 s, 2 s, 4 s… up to LOGIN_MAX_DELAY_SECONDS); a ceiling per IP per window, and one per account per hour
  // from all IPs (then the owner is mailed an unlock link).
  LOGIN_FAILURES_BEFORE_DELAY: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(100),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** Company signups per hour from one IP, and to one address. */
  SIGNUPS_PER_HOUR_PER_IP: z.coerce.number().int().positive().default(5),
  SIGNUPS_PER_HOUR_PER_EMAIL: z.coerce.number().int().positive().default(3),
  // The public portal (src/portal): guest requests and status links asked per IP and per address, per hour.
  PORTAL_PER_HOUR_PER_IP: z.coerce.number().int().positive().default(20),
  PORTAL_PER_HOUR_PER_EMAIL: z.coerce.number().int().positive().default(5),
  TRUST_PROXY: trustProxy.default(false),
  SEED_DEMO: boolish.optional(),
  /** Mounts the benchmark's baseline route (npm run bench). */
  BENCH_BASELINE: boolish.default(false),
  PLATFORM_OPERATOR_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email('must be a comma-separated list of emails'))),
  VERIFICATION_TOKEN_HOURS: z.coerce.number().positive().default(24),
  INVITATION_TOKEN_HOURS: z.coerce.number().positive().default(72),
  PASSWORD_RESET_TOKEN_MINUTES: z.coerce.number().positive().default(60),
  ACCOUNT_EMAILS_PER_HOUR: z.coerce.number().int().positive().default(5),
  // Attachments (src/conversation/): size of each file, files per upload, where they are kept.
  UPLOAD_MAX_MB: z.coerce.number().positive().max(1024).default(10),
  UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(50).default(5),
  UPLOAD_DIR: z.string().min(1).optional(),
  // Notifications (src/notifications): the queue's worker, retries, providers.
  /** Runs the notification worker inside the app process; `false` when `npm run worker` runs it apart. */
  WORKER_IN_PROCESS: boolish.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /** App processes sharing PORT (node:cluster, src/processes.ts); 1 serves from the started process alone. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** How many of those processes run the notification worker (with WORKER_IN_PROCESS); unset: all of them. */
  WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).optional(),
  /** Set by the primary for each app process it starts (1…WEB_CONCURRENCY); not a setting to write by hand. */
  APP_PROCESS_INDEX: z.coerce.number().int().min(1).default(1),
  /** How often the worker looks for jobs scheduled in the future (retries); new jobs arrive by LISTEN/NOTIFY. */
  WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
  /** A worker process silent this long is taken for dead and its jobs are released to the others. */
  WORKER_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** First retry delay; each further retry doubles it, up to NOTIFY_RETRY_MAX_SECONDS. */
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
  NOTIFY_RETRY_MAX_SECONDS: z.coerce
    .number()
    .positive()
    .default(6 * 3600),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** 32 bytes as 64 hex characters or base64; encrypts the companies' provider secrets. */
  ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes as 64 hex characters or base64',
    )
    .optional(),
  TWILIO_BASE_URL: z.url().default('https://api.twilio.com'),
  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_SMS_FROM: z.string().min(1).optional(),
  TWILIO_WHATSAPP_FROM: z.string().min(1).optional(),
  META_WHATSAPP_BASE_URL: z.url().default('https://graph.facebook.com/v21.0'),
  META_WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).optional(),
  META_WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Platform-wide WhatsApp provider when a company has no credentials of its own. */
  WHATSAPP_PROVIDER: z.enum(['twilio', 'meta']).default('twilio'),
  /** Webhook endpoints on private, loopback or link-local addresses (refused unless set; tests set it). */
  WEBHOOKS_ALLOW_PRIVATE: boolish.default(false),
  /** Tests only: an SSO issuer may be plain http when it is on a loopback address (refused in production). */
  SSO_ALLOW_HTTP_LOOPBACK: boolish.default(false),
  /** Hours an emailed company-export link works. */
  EXPORT_LINK_HOURS: z.coerce.number().positive().default(72),
  // Replies by email (src/inbound-mail): the domain of the reply and intake addresses (unset: no Reply-To and no
  // listener) and the SMTP listener's port (unset: off) and address; a message's size (default UPLOAD_MAX_MB).
  INBOUND_MAIL_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'must be a domain, e.g. respuestas.example.com',
    )
    .optional(),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  INBOUND_MAX_MB: z.coerce.number().positive().max(1024).optional(),
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'SESSION_SECRET' | 'UPLOAD_DIR' | 'ENCRYPTION_KEY' | 'INBOUND_MAX_MB'> & {
    SESSION_SECRET: string;
    UPLOAD_DIR: string;
    /** Key of the provider secrets at rest; in development generated and kept under DATA_DIR. */
    ENCRYPTION_KEY: string | undefined;
    isProduction: boolean;
    appUrl: string;
    /** Largest inbound message in megabytes (INBOUND_MAX_MB, else UPLOAD_MAX_MB). */
    INBOUND_MAX_MB: number;
  }
>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Configuración inválida / invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** In development the session secret is generated once and kept under the data directory. */
function persistentSecret(
  dataDir: string,
  name = 'session-secret',
  make = () => randomBytes(48).toString('base64url'),
): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = make();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings (e.g. `SMTP_URL=` in a .env file) mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  if (isProduction && !c.SESSION_SECRET) {
    throw new ConfigError(['SESSION_SECRET: required when NODE_ENV=production (at least 32 characters)']);
  }
  if (isProduction && c.SSO_ALLOW_HTTP_LOOPBACK) {
    throw new ConfigError(['SSO_ALLOW_HTTP_LOOPBACK: only for tests, refused when NODE_ENV=production']);
  }
  return Object.freeze({
    ...c,
    SESSION_SECRET: c.SESSION_SECRET ?? persistentSecret(c.DATA_DIR),
    UPLOAD_DIR: c.UPLOAD_DIR ?? path.join(c.DATA_DIR, 'uploads'),
    ENCRYPTION_KEY:
      c.ENCRYPTION_KEY ??
      (isProduction
        ? undefined
        : persistentSecret(c.DATA_DIR, 'encryption-key', () => randomBytes(32).toString('hex'))),
    isProduction,
    INBOUND_MAX_MB: c.INBOUND_MAX_MB ?? c.UPLOAD_MAX_MB,
    appUrl: (c.APP_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
  });
}
