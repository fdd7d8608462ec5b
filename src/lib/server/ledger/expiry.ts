import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { log } from '../log';
import { expireHolds } from './holds';
import { postEntry } from './post';

export interface ExpiryReport {
	/** Grants whose remainder was written off by this run. */
	grants: number;
	credits: number;
	/** Active holds past their expiry marked expired by this run. */
	holds: number;
}

const BATCH = 200;

/**
 * Writes off one expired grant's remainder with an expiry entry that names it. Locks the wallet
 * then the grant (the order every writer uses), so a settlement in flight finishes first and a
 * second run of the job finds nothing left.
 */
async function writeOff(db: Db, grantId: number, walletId: number, now: Date): Promise<number> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select id from wallets where id = ${walletId} for update`);
		const [grant] = await tx.execute<{ remaining: string }>(sql`
			select remaining from credit_grants where id = ${grantId} and expires_at <= ${now.toISOString()} for update`);
		const remaining = Number(grant?.remaining ?? 0);
		if (remaining <= 0) return 0;
		await postEntry(tx, {
			walletId,
			amount: -remaining,
			kind: 'expiry',
			idempotencyKey: `expiry:grant:${grantId}`,
			reference: `grant:${grantId}`,
			memo: 'grant expired',
			grantId
		});
		return remaining;
	});
}

/**
 * The scheduled job: writes off every expired grant's remainder and marks holds past their expiry
 * expired. Safe to run late, twice, or in several processes at once.
 */
export async function runExpiry(db: Db, now = new Date()): Promise<ExpiryReport> {
	const report: ExpiryReport = { grants: 0, credits: 0, holds: await expireHolds(db, now) };
	let after = 0;
	for (;;) {
		const due = await db.execute<{ id: string; wallet_id: number }>(sql`
			select id, wallet_id from credit_grants
			where unit = 'credits' and remaining > 0 and expires_at <= ${now.toISOString()} and id > ${after}
			order by id limit ${BATCH}`);
		for (const g of due) {
			const written = await writeOff(db, Number(g.id), g.wallet_id, now);
			if (written > 0) {
				report.grants++;
				report.credits += written;
			}
		}
		if (due.length < BATCH) break;
		after = Number(due[due.length - 1].id);
	}
	if (report.grants > 0 || report.holds > 0) log.info({ ...report }, 'expiry job');
	return report;
}
