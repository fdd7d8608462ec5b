import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { executePrepared } from '../db/prepared';
import type { HoldStatus } from '../db/schema';
import { groupCommitPerDb } from '../db/group-commit';
import { isTransactionConflict } from '../db/retry';
import { spendableBalance } from './burn-down';
import { grantsOf } from './grants';
import { idArray, textArray } from '../db/value-list';

export interface HoldView {
	hold_id: number;
	request_id: string;
	status: HoldStatus;
	amount: number;
	wallet_id: number;
	enterprise_id: number | null;
	expires_at: Date;
	resolved_at: Date | null;
	captured_cost: number | null;
}

/** The columns a HoldRow reads, named: a prepared `select *` would fail once a migration adds a column. */
const HOLD_COLUMNS = sql.raw('id, request_id, user_id, placed_by, status, amount, wallet_id, enterprise_id, expires_at, resolved_at, captured_cost');

type HoldRow = {
	id: string;
	request_id: string;
	user_id: number;
	placed_by: number;
	status: HoldStatus;
	amount: string;
	wallet_id: number;
	enterprise_id: number | null;
	expires_at: Date | string;
	resolved_at: Date | string | null;
	captured_cost: string | null;
};

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export function holdView(r: Omit<HoldRow, 'user_id' | 'placed_by'>): HoldView {
	return {
		hold_id: Number(r.id),
		request_id: r.request_id,
		status: r.status,
		amount: Number(r.amount),
		wallet_id: r.wallet_id,
		enterprise_id: r.enterprise_id,
		expires_at: toDate(r.expires_at),
		resolved_at: r.resolved_at === null ? null : toDate(r.resolved_at),
		captured_cost: r.captured_cost === null ? null : Number(r.captured_cost)
	};
}

/**
 * Each wallet's balance, and the credits its active holds that have not expired hold: `held` (kept
 * by the holds triggers) less its active holds already past their expiry, which count for nothing at once.
 */
export async function balanceAndHeld(tx: DbOrTx, walletIds: number[], at: Date): Promise<Map<number, { balance: number; held: number }>> {
	if (walletIds.length === 0) return new Map();
	const rows = await executePrepared<{ id: number; balance: string; held: string }>(
		tx,
		sql`
		select w.id, w.balance, w.held - coalesce((
			select sum(h.amount) from holds h where h.wallet_id = w.id and h.status = 'active' and h.expires_at <= ${at.toISOString()}), 0) as held
		from wallets w where w.id = any(${idArray(walletIds)})`
	);
	return new Map(rows.map((r) => [r.id, { balance: Number(r.balance), held: Number(r.held) }]));
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
	// Independent reads: on a transaction they go out pipelined on its connection.
	const [wallets, grants] = await Promise.all([balanceAndHeld(tx, walletIds, at), grantsOf(tx, walletIds)]);
	for (const [id, { balance, held }] of wallets) {
		const spendable = spendableBalance(balance, grants.get(id) ?? [], at);
		result.set(id, { balance, spendable, held, available: spendable - held });
	}
	return result;
}

/**
 * Active holds past their expiry end as expired (the job's half for holds). Their wallets are locked
 * first, in id order as reserve and settle lock them: marking a hold lowers its wallet's `held`.
 */
export async function expireHolds(db: Db, now: Date): Promise<number> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`
			select id from wallets where id in (
				select wallet_id from holds where status = 'active' and expires_at <= ${now.toISOString()})
			order by id for update`);
		const [row] = await tx.execute<{ n: string }>(sql`
			with expired as (
				update holds set status = 'expired', resolved_at = ${now.toISOString()}
				where status = 'active' and expires_at <= ${now.toISOString()}
				returning id, amount
			), logged as (
				insert into hold_events (hold_id, event, amount, at) select id, 'expired', amount, ${now.toISOString()} from expired returning 1
			)
			select count(*) as n from logged`);
		return Number(row.n);
	});
}

export class HoldNotFoundError extends Error {
	readonly code = 'hold_not_found';
}

interface Release {
	callerId: number;
	requestId: string;
	now: Date;
}

/**
 * One transaction for a batch of releases: lock the holds' wallets, then the named holds, in id
 * order; decide in arrival order (a hold resolved earlier, or by an earlier release in this batch,
 * answers its final state), and write the resolutions and their events in one statement.
 */
async function releaseInTransaction(db: Db, batch: Release[]): Promise<Array<HoldView | Error>> {
	const requestIds = textArray([...new Set(batch.map((r) => r.requestId))]);
	return db.transaction(async (tx) => {
		// Wallets before holds, as reserve and settle lock them (a release lowers its wallet's `held`);
		// sent together, run in this order on the transaction's connection.
		const [, rows] = await Promise.all([
			executePrepared(tx, sql`select id from wallets where id = any(array(select wallet_id from holds where request_id = any(${requestIds}))) order by id for update`),
			executePrepared<HoldRow>(tx, sql`select ${HOLD_COLUMNS} from holds where request_id = any(${requestIds}) order by id for update`)
		]);
		const byRequest = new Map(rows.map((row) => [row.request_id, row]));
		const resolutions = new Map<string, { id: string; status: HoldStatus; at: string }>();
		const decisions = batch.map(({ callerId, requestId, now }): HoldRow | string | Error => {
			const row = byRequest.get(requestId);
			if (!row || row.placed_by !== callerId) return new HoldNotFoundError(`no hold for request id ${requestId}`);
			if (resolutions.has(requestId)) return requestId;
			if (row.status !== 'active') return row;
			const status: HoldStatus = toDate(row.expires_at).getTime() <= now.getTime() ? 'expired' : 'released';
			resolutions.set(requestId, { id: row.id, status, at: now.toISOString() });
			return requestId;
		});
		const resolved = new Map<string, HoldRow>();
		if (resolutions.size > 0) {
			const updated = await executePrepared<HoldRow>(tx, sql`
				with resolution as (
					select * from jsonb_to_recordset(${JSON.stringify([...resolutions.values()])}::jsonb) as x(id bigint, status text, at timestamptz)
				), updated as (
					update holds h set status = r.status, resolved_at = r.at from resolution r
					-- By id only: resolved_at is null is status = 'active' (holds_resolution), written so
					-- that no partial index of active holds (every hold in flight) serves this read.
					where h.id = any(array(select id from resolution)) and h.id = r.id and h.resolved_at is null
					returning h.*
				), logged as (
					insert into hold_events (hold_id, event, amount, at) select id, status, amount, resolved_at from updated
				)
				select ${HOLD_COLUMNS} from updated`);
			// The holds are locked and were active: each one resolves here.
			if (updated.length !== resolutions.size) throw new Error(`released ${updated.length} of ${resolutions.size} locked active holds`);
			for (const row of updated) resolved.set(row.request_id, row);
		}
		return decisions.map((d) => (d instanceof Error ? d : holdView(typeof d === 'string' ? resolved.get(d)! : d)));
	});
}

/** Retried on serialization failures and deadlocks (a settlement capturing the same holds meanwhile). */
const releaseQueue = groupCommitPerDb<Release, HoldView>((db) => ({ commit: (batch) => releaseInTransaction(db, batch), retryable: isTransactionConflict }));

/**
 * Releases the caller's hold. A hold already resolved answers its final state and changes nothing;
 * an active hold past its expiry ends as expired. Someone else's hold is not found. Concurrent calls
 * share a transaction (db/group-commit.ts), up to 500 in one.
 */
export function releaseHold(db: Db, callerId: number, requestId: string, now = new Date()): Promise<HoldView> {
	return releaseQueue(db).submit({ callerId, requestId, now });
}
