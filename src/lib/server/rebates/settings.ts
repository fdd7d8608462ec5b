import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { settings } from '../db/schema';

export const REBATE_SETTINGS_KEY = 'rebates';

const cap = z.number().int().positive().nullable();

/** Rate in basis points of the amount an invitee paid (500 = 5%, 0 = off); caps in credits, null = none. */
export const rebateSettingsSchema = z.object({
	rateBp: z.number().int().min(0).max(10_000),
	perInviteeCapCredits: cap,
	monthlyCapCredits: cap
});
export type RebateSettings = z.infer<typeof rebateSettingsSchema>;

export const defaultRebateSettings = (): RebateSettings => ({ rateBp: 500, perInviteeCapCredits: null, monthlyCapCredits: null });

export async function loadRebateSettings(db: DbOrTx): Promise<RebateSettings> {
	const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, REBATE_SETTINGS_KEY));
	if (!row) return defaultRebateSettings();
	const parsed = rebateSettingsSchema.safeParse({ ...defaultRebateSettings(), ...(row.value as object) });
	return parsed.success ? parsed.data : defaultRebateSettings();
}

export async function saveRebateSettings(db: DbOrTx, value: RebateSettings, actorUserId: number | null): Promise<RebateSettings> {
	const valid = rebateSettingsSchema.parse(value);
	await db
		.insert(settings)
		.values({ key: REBATE_SETTINGS_KEY, value: valid, updatedBy: actorUserId })
		.onConflictDoUpdate({ target: settings.key, set: { value: valid, updatedBy: actorUserId, updatedAt: sql`now()` } });
	return valid;
}
