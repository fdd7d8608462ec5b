import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { settings } from '../db/schema';

/** Settings key of the instance default threshold, read by alert_default_threshold() in the database. */
export const ALERT_DEFAULT_KEY = 'alerts.default';

/**
 * Stores the instance default (LOW_BALANCE_CREDITS) and moves every wallet that follows the
 * default to it. A wallet already below the new line is disarmed, so a changed default raises no
 * alert by itself; the next downward crossing does.
 */
export async function applyDefaultThreshold(db: DbOrTx, credits: number): Promise<void> {
	await db
		.insert(settings)
		.values({ key: ALERT_DEFAULT_KEY, value: { threshold: credits } })
		.onConflictDoUpdate({ target: settings.key, set: { value: { threshold: credits }, updatedAt: sql`now()` } });
	await db.execute(sql`
		update wallets set alert_threshold = ${credits}, low_armed = not (${credits} > 0 and wallets.balance < ${credits})
		where not alert_threshold_set and alert_threshold <> ${credits}`);
}

/**
 * Sets a wallet's threshold (null = follow the instance default). Like a changed default, it
 * re-arms or disarms the alert by where the balance stands now, without raising one.
 */
export async function setWalletThreshold(db: DbOrTx, walletId: number, credits: number | null): Promise<number> {
	const value = credits === null ? sql`alert_default_threshold()` : sql`${credits}::bigint`;
	const rows = await db.execute<{ alert_threshold: string }>(sql`
		update wallets set alert_threshold = ${value}, alert_threshold_set = ${credits !== null},
			low_armed = not (${value} > 0 and wallets.balance < ${value})
		where id = ${walletId} returning alert_threshold`);
	return Number(rows[0].alert_threshold);
}
