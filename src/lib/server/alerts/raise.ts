import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

/**
 * The hook for plan allowances (the plans issue): call it in the transaction that moves a plan's
 * allowance past 80 % or 100 % of `allowance`, once per crossing (the caller keeps that state, as
 * the wallets trigger does for balances). It is delivered like every other alert.
 */
export async function raisePlanAllowanceAlert(tx: DbOrTx, walletId: number, percent: 80 | 100, used: number, allowance: number): Promise<void> {
	await tx.execute(sql`
		insert into alerts (wallet_id, kind, balance, threshold, percent) values (${walletId}, 'plan_allowance', ${used}, ${allowance}, ${percent})`);
	await tx.execute(sql`select pg_notify('tally_alerts', ${String(walletId)})`);
}
