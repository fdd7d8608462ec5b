import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

/**
 * A plan allowance grant went past 80 % or 100 % used of `allowance`: called once per crossing by
 * `recordAllowanceUses` (ledger/allowances.ts), in the transaction that lowered the grant. It is
 * delivered like every other alert.
 */
export async function raisePlanAllowanceAlert(tx: DbOrTx, walletId: number, percent: 80 | 100, used: number, allowance: number): Promise<void> {
	await tx.execute(sql`
		insert into alerts (wallet_id, kind, balance, threshold, percent) values (${walletId}, 'plan_allowance', ${used}, ${allowance}, ${percent})`);
	await tx.execute(sql`select pg_notify('tally_alerts', ${String(walletId)})`);
}
