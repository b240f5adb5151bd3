import { z } from 'zod';
import { boundedString, boundedUrl } from '@/lib/bounded-string';

/**
 * One environment for the web app, the worker and the CLI. Parsed lazily (never at import time,
 * so `next build` can import server modules without a configured machine) and memoised.
 */
/** An unset and an empty variable mean the same: not configured. */
const blankAsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

const optionalUrl = blankAsUnset(boundedUrl().optional());

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: blankAsUnset(
      boundedString(4096)
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    RAPPORT_DATA_DIR: z.string().max(4096).trim().min(1).default('./data'),
    /** Where uploaded mbox files wait for their import (default: <data dir>/uploads). */
    RAPPORT_UPLOAD_DIR: blankAsUnset(z.string().max(4096).trim().optional()),
    /** The largest upload taken (2 GiB: a large Takeout fits; raise it for bigger ones). */
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(2 * 1024 ** 3),
    /** Imports run side by side per worker process (one per user at a time). */
    IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
    /** What an uploaded .gz may decompress to: past it, the import stops (a gzip bomb). */
    MAX_DECOMPRESSED_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(10 * 1024 ** 3),
    /**
     * Per-user quotas (0: none). Unset: none for the embedded single user; on PostgreSQL, where
     * users share the server, 1,000,000 messages and 20 GiB of mail (raw message sizes).
     */
    USER_MAX_MESSAGES: blankAsUnset(z.coerce.number().int().min(0).optional()),
    USER_MAX_STORAGE_MB: blankAsUnset(z.coerce.number().int().min(0).optional()),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Loopback by default: `0.0.0.0` (or one interface's address) to serve other machines. */
    HOST: z.string().max(255).trim().min(1).default('127.0.0.1'),
    BETTER_AUTH_URL: optionalUrl,
    BETTER_AUTH_SECRET: blankAsUnset(
      z
        .string()
        .max(4096)
        .min(32, 'must be at least 32 characters (openssl rand -base64 32)')
        .optional(),
    ),
    GOOGLE_CLIENT_ID: blankAsUnset(z.string().max(4096).trim().optional()),
    GOOGLE_CLIENT_SECRET: blankAsUnset(z.string().max(4096).trim().optional()),
    GOOGLE_AUTHORIZATION_URL: boundedUrl().default('https://accounts.google.com/o/oauth2/v2/auth'),
    GOOGLE_TOKEN_URL: boundedUrl().default('https://oauth2.googleapis.com/token'),
    GOOGLE_USERINFO_URL: boundedUrl().default('https://openidconnect.googleapis.com/v1/userinfo'),
    /** Where a removed Gmail account's grant is revoked (a local fake in tests). */
    GOOGLE_REVOKE_URL: boundedUrl().default('https://oauth2.googleapis.com/revoke'),
    /**
     * Connections per process. 20: one web process serving ~100 requests at once waited on a pool
     * of 10 (bench:load p50 237 ms at 150 requests/s, 41 ms with 20).
     */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Web processes sharing the port (PostgreSQL only: the embedded database has one process). */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    API_EXPENSIVE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** A sign-in session ends this many days after its last use (each day of use renews it). */
    SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** Seconds a web process remembers a checked session (0: check the database every call). */
    SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
    /** Behind a reverse proxy that sets X-Forwarded-For: trust it for client addresses. */
    TRUST_PROXY: z.enum(['0', '1']).default('0'),
    /** Who may sign up on the web: unset, open until the first user exists, then closed. */
    RAPPORT_SIGNUP: blankAsUnset(z.enum(['open', 'invite', 'closed']).optional()),
    /** The quickstart's demo user: unset, embedded only; `1` also on PostgreSQL; `0` never. */
    RAPPORT_DEMO: blankAsUnset(z.enum(['0', '1']).optional()),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Gmail's REST API root (a local fake in tests). */
    GMAIL_API_URL: boundedUrl().default('https://gmail.googleapis.com'),
    /** Gmail categories left out of sync, comma-separated (promotions, social, forums, updates). */
    GMAIL_EXCLUDE_CATEGORIES: z
      .string()
      .max(200)
      .default('promotions,social')
      .transform((s) =>
        s
          .split(',')
          .map((c) => c.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(['promotions', 'social', 'forums', 'updates']))),
    /** How often connected Gmail accounts are synced (incremental), in minutes. */
    GMAIL_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(2),
    /** Cloud Pub/Sub topic for Gmail push (`projects/…/topics/…`); unset: polling only. */
    GMAIL_PUBSUB_TOPIC: blankAsUnset(z.string().max(4096).trim().optional()),
    /** The secret in the push endpoint's URL (`/api/gmail/push?token=…`). */
    GMAIL_PUSH_TOKEN: blankAsUnset(z.string().max(4096).trim().min(16).optional()),
    /** Enrichment providers: each is on when its key is set (base URLs point tests at fakes). */
    GRAVATAR_API_KEY: blankAsUnset(z.string().max(4096).trim().optional()),
    GRAVATAR_API_URL: boundedUrl().default('https://api.gravatar.com'),
    GITHUB_TOKEN: blankAsUnset(z.string().max(4096).trim().optional()),
    GITHUB_API_URL: boundedUrl().default('https://api.github.com'),
    X_BEARER_TOKEN: blankAsUnset(z.string().max(4096).trim().optional()),
    X_API_URL: boundedUrl().default('https://api.x.com'),
    PDL_API_KEY: blankAsUnset(z.string().max(4096).trim().optional()),
    PDL_API_URL: boundedUrl().default('https://api.peopledatalabs.com'),
    /** Google People API root (Google Contacts enrichment, with the Gmail account's grant). */
    PEOPLE_API_URL: boundedUrl().default('https://people.googleapis.com'),
    /** The assistant's model; `none` answers with the built-in engine only. */
    AI_PROVIDER: z.enum(['none', 'openai-compatible', 'openai', 'anthropic']).default('none'),
    AI_BASE_URL: optionalUrl,
    AI_MODEL: blankAsUnset(z.string().max(4096).trim().optional()),
    AI_API_KEY: blankAsUnset(z.string().max(4096).trim().optional()),
    AI_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
    /** Daily budgets of model calls (0: none): each user's, and everyone's together. */
    AI_CALLS_PER_USER_PER_DAY: z.coerce.number().int().min(0).default(500),
    AI_CALLS_PER_DAY: z.coerce.number().int().min(0).default(5000),
    /** Daily budgets of paid enrichment requests (0: none): each user's, and everyone's. */
    ENRICH_CALLS_PER_USER_PER_DAY: z.coerce.number().int().min(0).default(2000),
    ENRICH_CALLS_PER_DAY: z.coerce.number().int().min(0).default(20_000),
    /** The share of each enrichment provider's rate limit one user may take (0.1 to 1). */
    ENRICH_USER_SHARE: z.coerce.number().min(0.1).max(1).default(0.5),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.GOOGLE_CLIENT_ID) !== Boolean(env.GOOGLE_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.GOOGLE_CLIENT_ID ? 'GOOGLE_CLIENT_SECRET' : 'GOOGLE_CLIENT_ID'],
        message: 'GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together',
      });
    }
    if ((env.AI_PROVIDER === 'openai' || env.AI_PROVIDER === 'anthropic') && !env.AI_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['AI_API_KEY'],
        message: `AI_PROVIDER=${env.AI_PROVIDER} needs an API key`,
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      'Invalid environment:\n' +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n') +
        '\nFix these variables (see README "Configuration") and start again.',
    );
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests and for start-up code that changes process.env before first use. */
export function resetEnvCache() {
  cached = undefined;
}

export function isEmbedded(env: Env = getEnv()) {
  return !env.DATABASE_URL;
}

export function publicUrl(env: Env = getEnv()) {
  return env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT}`;
}
