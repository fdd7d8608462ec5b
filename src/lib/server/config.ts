import { z } from 'zod';

const boolish = z
	.enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
	.transform((v) => v === '1' || v === 'true' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();

const envSchema = z.object({
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
		.optional(),
	DATA_DIR: z.string().min(1).default('.data'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	ORIGIN: z.url().optional(),
	CURRENCY: z
		.string()
		.regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as CNY')
		.default('CNY'),
	CREDITS_PER_UNIT: positiveInt.default(10_000),
	ADMIN_EMAIL: z.email().optional(),
	ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
	SEED_DEMO: boolish.default(true),
	WELCOME_CREDITS: nonNegativeInt.default(1_000_000),
	CREDIT_LIMIT: nonNegativeInt.default(0),
	/** Default low-balance alert threshold of every wallet whose owner has not set one (0 = off). */
	LOW_BALANCE_CREDITS: nonNegativeInt.default(100_000),
	/** Alert email: smtp:// or smtps:// URL with credentials; without it the email channel is hidden. */
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
		.optional(),
	SMTP_FROM: z.string().min(3).default('Tally <alerts@localhost>'),
	/** Lets alert webhooks reach loopback and private addresses: only for tests and development with a local receiver. */
	ALERT_WEBHOOK_ALLOW_PRIVATE: boolish.default(false),
	PAYMENT_SANDBOX_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
	STRIPE_SECRET_KEY: z.string().optional(),
	STRIPE_WEBHOOK_SECRET: z.string().optional(),
	ALIPAY_APP_ID: z.string().optional(),
	ALIPAY_PRIVATE_KEY: z.string().optional(),
	ALIPAY_PUBLIC_KEY: z.string().optional(),
	ALIPAY_GATEWAY: z.url().optional(),
	USD_RATE_CREDITS: positiveInt.default(72_000),
	ORDER_TTL_MINUTES: positiveInt.default(30),
	/** Write one [credit_deduct] JSON line per settled usage event. */
	LOG_SETTLEMENTS: boolish.default(true),
	/** Cron (UTC) of the job that writes off expired grants and marks expired holds. */
	EXPIRY_SCHEDULE: z
		.string()
		.regex(/^\S+( \S+){4,5}$/, 'must be a cron expression such as "* * * * *"')
		.default('* * * * *'),
	/**
	 * How long an API key's check (known, not revoked, not expired, owner's role) is reused without
	 * reading the database again: a key revoked elsewhere stops working within this many seconds
	 * (at once on the process that revoked it). 0 reads the database on every request.
	 */
	API_KEY_CACHE_SECONDS: nonNegativeInt.max(60).default(5),
	/**
	 * How long the metering path reuses a model's catalog entry (active flag, price rows) without
	 * reading it again (usage/metering-cache.ts): a price or activation changed by another instance
	 * applies to new events within this many seconds (at once on the instance that changed it); a
	 * price scheduled at least this far ahead applies at its instant everywhere. 0 reads it on every batch.
	 */
	MODEL_CACHE_SECONDS: nonNegativeInt.max(60).default(1),
	/** Plan allowances reset on the 1st at 00:00 in this IANA time zone. */
	BILLING_TIMEZONE: z
		.string()
		.refine((tz) => {
			try {
				new Intl.DateTimeFormat('en-US', { timeZone: tz });
				return true;
			} catch {
				return false;
			}
		}, 'must be an IANA time zone such as Asia/Shanghai')
		.default('Asia/Shanghai'),
	/** 'naive' = one transaction per usage event; for the benchmark's baseline only. */
	USAGE_SETTLE_MODE: z.enum(['batch', 'naive']).default('batch'),
	/** A proxy in front sets X-Forwarded-Host / X-Forwarded-Proto; only then are they believed. */
	TRUST_PROXY: boolish.default(false),
	/** Default for a fresh install; the live limit is an admin setting. */
	REGISTRATIONS_PER_IP_PER_HOUR: positiveInt.default(5)
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
	const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	if (env.SEED_DEMO === '') delete present.SEED_DEMO;
	const result = envSchema.safeParse(present);
	if (!result.success) {
		const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
	}
	return result.data;
}

let cached: Config | undefined;

/** The validated environment, read once per process. */
export function config(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}

/** For tests that need a different configuration in the same process. */
export function overrideConfig(patch: Partial<Config>): void {
	cached = { ...config(), ...patch };
}
