import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import type { HoldStatus } from '../db/schema';
import { spendableBalance } from './burn-down';
import { grantsOf } from './grants';

export interface HoldView {
	hold_id: number;
	request_id: string;
	status: HoldStatus;
	amount: number;
	wallet_id: number;
	group_id: number | null;
	expires_at: Date;
	resolved_at: Date | null;
	captured_cost: number | null;
}

type HoldRow = {
	id: string;
	request_id: string;
	user_id: number;
	placed_by: number;
	status: HoldStatus;
	amount: string;
	wallet_id: number;
	group_id: number | null;
	expires_at: Date | string;
	resolved_at: Date | string | null;
	captured_cost: string | null;
};

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export function holdView(r: HoldRow): HoldView {
	return {
		hold_id: Number(r.id),
		request_id: r.request_id,
		status: r.status,
		amount: Number(r.amount),
		wallet_id: r.wallet_id,
		group_id: r.group_id,
		expires_at: toDate(r.expires_at),
		resolved_at: r.resolved_at === null ? null : toDate(r.resolved_at),
		captured_cost: r.captured_cost === null ? null : Number(r.captured_cost)
	};
}

export async function holdByRequestId(tx: DbOrTx, requestId: string): Promise<(HoldView & { userId: number; placedBy: number }) | null> {
	const [row] = await tx.execute<HoldRow>(sql`select * from holds where request_id = ${requestId}`);
	return row ? { ...holdView(row), userId: row.user_id, placedBy: row.placed_by } : null;
}

/** Credits held by active holds that have not expired, by wallet. An expired hold counts for nothing at once. */
export async function heldOn(tx: DbOrTx, walletIds: number[], at: Date): Promise<Map<number, number>> {
	if (walletIds.length === 0) return new Map();
	const rows = await tx.execute<{ wallet_id: number; held: string }>(sql`
		select wallet_id, sum(amount) as held from holds
		where status = 'active' and expires_at > ${at.toISOString()}
			and wallet_id in (select jsonb_array_elements_text(${JSON.stringify(walletIds)}::jsonb)::int)
		group by wallet_id`);
	return new Map(rows.map((r) => [r.wallet_id, Number(r.held)]));
}

export interface WalletFunds {
	balance: number;
	/** Balance less credits in expired or not yet effective grants. */
	spendable: number;
	held: number;
	/** spendable − held. */
	available: number;
}

/** What each wallet has available for a new request: spendable balance less active holds. */
export async function fundsOf(tx: DbOrTx, walletIds: number[], at: Date): Promise<Map<number, WalletFunds>> {
	const result = new Map<number, WalletFunds>();
	if (walletIds.length === 0) return result;
	const rows = await tx.execute<{ id: number; balance: string }>(sql`
		select id, balance from wallets where id in (select jsonb_array_elements_text(${JSON.stringify(walletIds)}::jsonb)::int)`);
	const grants = await grantsOf(tx, walletIds);
	const held = await heldOn(tx, walletIds, at);
	for (const r of rows) {
		const balance = Number(r.balance);
		const spendable = spendableBalance(balance, grants.get(r.id) ?? [], at);
		const h = held.get(r.id) ?? 0;
		result.set(r.id, { balance, spendable, held: h, available: spendable - h });
	}
	return result;
}

/** Active holds past their expiry end as expired (the job's half for holds). */
export async function expireHolds(db: Db, now: Date): Promise<number> {
	const [row] = await db.execute<{ n: string }>(sql`
		with expired as (
			update holds set status = 'expired', resolved_at = ${now.toISOString()}
			where status = 'active' and expires_at <= ${now.toISOString()}
			returning id, amount
		), logged as (
			insert into hold_events (hold_id, event, amount, at) select id, 'expired', amount, ${now.toISOString()} from expired returning 1
		)
		select count(*) as n from logged`);
	return Number(row.n);
}

export class HoldNotFoundError extends Error {
	readonly code = 'hold_not_found';
}

/**
 * Releases the caller's hold. A hold already resolved answers its final state and changes nothing;
 * an active hold past its expiry ends as expired. Someone else's hold is not found.
 */
export async function releaseHold(db: Db, callerId: number, requestId: string, now = new Date()): Promise<HoldView> {
	return db.transaction(async (tx) => {
		const [row] = await tx.execute<HoldRow>(sql`select * from holds where request_id = ${requestId} for update`);
		if (!row || row.placed_by !== callerId) throw new HoldNotFoundError(`no hold for request id ${requestId}`);
		if (row.status !== 'active') return holdView(row);
		const status: HoldStatus = toDate(row.expires_at).getTime() <= now.getTime() ? 'expired' : 'released';
		const [updated] = await tx.execute<HoldRow>(sql`
			update holds set status = ${status}, resolved_at = ${now.toISOString()} where id = ${row.id} returning *`);
		await tx.execute(sql`insert into hold_events (hold_id, event, amount, at) values (${row.id}, ${status}, ${row.amount}, ${now.toISOString()})`);
		return holdView(updated);
	});
}

export interface NewHold {
	requestId: string;
	userId: number;
	placedBy: number;
	apiKeyId: number | null;
	walletId: number;
	groupId: number | null;
	amount: number;
	expiresAt: Date;
}

/** Records a hold and its 'placed' event; call it with the paying wallets locked. */
export async function placeHold(tx: DbOrTx, hold: NewHold, now: Date): Promise<HoldView> {
	const [row] = await tx.execute<HoldRow>(sql`
		insert into holds (request_id, user_id, placed_by, api_key_id, wallet_id, group_id, amount, expires_at, created_at)
		values (${hold.requestId}, ${hold.userId}, ${hold.placedBy}, ${hold.apiKeyId}, ${hold.walletId}, ${hold.groupId}, ${hold.amount},
			${hold.expiresAt.toISOString()}, ${now.toISOString()})
		returning *`);
	await tx.execute(sql`insert into hold_events (hold_id, event, amount, at) values (${row.id}, 'placed', ${hold.amount}, ${now.toISOString()})`);
	return holdView(row);
}
