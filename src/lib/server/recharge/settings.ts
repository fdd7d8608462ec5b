import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { settings } from '../db/schema';
import { config } from '../config';

export const RECHARGE_SETTINGS_KEY = 'recharge';

const credits = z.number().int().nonnegative();

/** Stored form: every amount in credits, the rate in basis points. */
export const rechargeSettingsSchema = z
	.object({
		tiers: z.array(credits.positive()).min(1).max(12),
		bonusRateBp: z.number().int().min(0).max(10_000),
		bonusCapCredits: credits,
		enabled: z.boolean(),
		customMinCredits: credits.positive(),
		customMaxCredits: credits.positive(),
		orderTtlMinutes: z.number().int().min(1).max(10_080)
	})
	.refine((s) => s.customMinCredits <= s.customMaxCredits, { message: 'custom_range', path: ['customMaxCredits'] })
	.refine((s) => new Set(s.tiers).size === s.tiers.length, { message: 'tiers_duplicate', path: ['tiers'] });

export type RechargeSettings = z.infer<typeof rechargeSettingsSchema>;

export function defaultRechargeSettings(): RechargeSettings {
	const cpu = config().CREDITS_PER_UNIT;
	return {
		tiers: [10, 50, 100, 200, 500, 1000].map((units) => units * cpu),
		bonusRateBp: 2000,
		bonusCapCredits: 100 * cpu,
		enabled: true,
		customMinCredits: 1 * cpu,
		customMaxCredits: 50_000 * cpu,
		orderTtlMinutes: config().ORDER_TTL_MINUTES
	};
}

/**
 * The one source of truth for tiers, rate, cap, switch and custom range, read by the
 * page, the API and the payment callbacks. A missing or unreadable row means the defaults.
 */
export async function loadRechargeSettings(db: DbOrTx): Promise<RechargeSettings> {
	const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, RECHARGE_SETTINGS_KEY));
	if (!row) return defaultRechargeSettings();
	const parsed = rechargeSettingsSchema.safeParse({ ...defaultRechargeSettings(), ...(row.value as object) });
	return parsed.success ? parsed.data : defaultRechargeSettings();
}

export async function saveRechargeSettings(db: DbOrTx, value: RechargeSettings, actorUserId: number | null): Promise<RechargeSettings> {
	const valid = rechargeSettingsSchema.parse({ ...value, tiers: [...value.tiers].sort((a, b) => a - b) });
	await db
		.insert(settings)
		.values({ key: RECHARGE_SETTINGS_KEY, value: valid, updatedBy: actorUserId })
		.onConflictDoUpdate({ target: settings.key, set: { value: valid, updatedBy: actorUserId, updatedAt: sql`now()` } });
	return valid;
}
