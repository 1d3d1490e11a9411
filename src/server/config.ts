import { resolve } from 'node:path';
import { z } from 'zod';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '../shared/time.js';

// The environment, validated once at boot. A wrong value stops the server with
// a message naming the variable, rather than failing later on a request.

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  SUQIU_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SUQIU_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('suqiu-demo'),
  SUQIU_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  SUQIU_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SUQIU_SECURE_COOKIES: z.enum(['true', 'false', 'auto']).default('auto'),
  SUQIU_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  SUQIU_SCHEDULER_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  // The outbox (modules/messages): how often its worker looks for messages due; 0 turns it off in this process.
  SUQIU_OUTBOX_SECONDS: z.coerce.number().int().min(0).max(3600).default(2),
  // The SMS gateway (modules/messages/sms.ts); unset: SMS messages wait in the outbox.
  SUQIU_SMS_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SUQIU_SMS_TOKEN: z
    .string()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SUQIU_SMS_SIGN: z.string().trim().min(1).max(20).default('国网供电'),
  SUQIU_SMS_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(50),
  // The SMTP relay for e-mail (modules/messages/mail.ts); unset: e-mail messages wait in the outbox.
  SUQIU_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL (smtp://[user:pass@]host:port)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SUQIU_MAIL_FROM: z.string().trim().min(3).max(200).default('suqiu@localhost'),
  SUQIU_MAIL_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(10),
  SUQIU_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1024).default(20),
  // 20 MB (the largest attachment) at 4 Mbit/s takes 40 s: a minute and a half leaves room.
  SUQIU_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SUQIU_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(90),
  // Every local date and time the company names or shows (deadlines, demand numbers, months, workbooks, the web's clocks).
  SUQIU_TIME_ZONE: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .transform((name, ctx) => {
      const zone = canonicalTimeZone(name.trim());
      if (zone === null) ctx.addIssue({ code: 'custom', message: `"${name}" is not a time zone this Node knows (an IANA name, e.g. Asia/Shanghai)` });
      return zone ?? name;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('production'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  seedDemo: boolean;
  sessionHours: number;
  /** Secure cookies need HTTPS; 'auto' sets them when the request came over TLS (or a proxy says so). */
  secureCookies: 'always' | 'never' | 'auto';
  /** Behind a load balancer: take the client's address and protocol from X-Forwarded-* headers. */
  trustProxy: boolean;
  /** How often the scheduler looks for warnings and overdue deadlines; 0 turns it off in this process. */
  schedulerIntervalSeconds: number;
  /** How often the outbox's worker sends what is due; 0 turns it off in this process. */
  outboxIntervalSeconds: number;
  /** The SMS gateway: its URL (undefined: SMS waits in the outbox), Bearer token, signature (签名) and sends per second. */
  sms: { url: string | undefined; token: string | undefined; sign: string; perSecond: number };
  /** The SMTP relay (undefined: e-mail waits in the outbox), the sender's address and sends per second. */
  mail: { smtpUrl: string | undefined; from: string; perSecond: number };
  /** The largest attachment of the knowledge base, in bytes. */
  attachmentMaxBytes: number;
  /** A request (headers and body) must arrive within this many seconds, or it is answered 408 and its connection closed. */
  requestTimeoutSeconds: number;
  /** The Bearer token Prometheus sends to GET /metrics; unset: only this machine may scrape. */
  metricsToken: string | undefined;
  /** The company's time zone (IANA): local dates, months and times are this zone's. */
  timeZone: string;
  logLevel: string;
  /** Where the built web app lives; the server serves it when present. */
  webDir: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.SUQIU_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demoPassword: e.SUQIU_DEMO_PASSWORD,
    seedDemo: e.SUQIU_SEED_DEMO === 'true',
    sessionHours: e.SUQIU_SESSION_HOURS,
    secureCookies: e.SUQIU_SECURE_COOKIES === 'true' ? 'always' : e.SUQIU_SECURE_COOKIES === 'false' ? 'never' : 'auto',
    trustProxy: e.SUQIU_TRUST_PROXY === 'true',
    schedulerIntervalSeconds: e.SUQIU_SCHEDULER_SECONDS,
    outboxIntervalSeconds: e.SUQIU_OUTBOX_SECONDS,
    sms: { url: e.SUQIU_SMS_URL, token: e.SUQIU_SMS_TOKEN, sign: e.SUQIU_SMS_SIGN, perSecond: e.SUQIU_SMS_PER_SECOND },
    mail: { smtpUrl: e.SUQIU_SMTP_URL, from: e.SUQIU_MAIL_FROM, perSecond: e.SUQIU_MAIL_PER_SECOND },
    attachmentMaxBytes: Math.round(e.SUQIU_ATTACHMENT_MAX_MB * 1024 * 1024),
    requestTimeoutSeconds: e.SUQIU_REQUEST_TIMEOUT_SECONDS,
    metricsToken: e.SUQIU_METRICS_TOKEN,
    timeZone: e.SUQIU_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    webDir: resolve('dist/web'),
  };
}
