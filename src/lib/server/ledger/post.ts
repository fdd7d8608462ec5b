import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { executePrepared } from '../db/prepared';
import type { EntryKind } from '../db/schema';

export interface EntryInput {
	walletId: number;
	/** Signed integer credits. */
	amount: number;
	kind: EntryKind;
	idempotencyKey: string;
	reference?: string | null;
	memo?: string | null;
	actorUserId?: number | null;
	/** The credit grant this entry moves; omitted for the regular balance. */
	grantId?: number | null;
}

export interface PostedEntry {
	entryId: number;
	walletId: number;
	amount: number;
	balanceAfter: number;
	idempotencyKey: string;
	/** The key was seen before: nothing was appended, this is the original entry. */
	duplicate: boolean;
}

export class InsufficientFundsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InsufficientFundsError';
	}
}

interface PgError {
	message?: string;
	hint?: string;
	constraint_name?: string;
}

/**
 * The one way a balance changes: appends the entries and moves the balances in one
 * round trip (the set-based post_entries function, drizzle/0007_post_entries_set.sql). Call it inside
 * the transaction that makes the change the entries pay for.
 */
export async function postEntries(tx: DbOrTx, entries: EntryInput[]): Promise<PostedEntry[]> {
	if (entries.length === 0) return [];
	for (const e of entries) {
		if (!Number.isSafeInteger(e.amount)) throw new TypeError(`amount must be an integer of credits, got ${e.amount}`);
	}
	const payload = entries.map((e) => ({
		wallet_id: e.walletId,
		amount: e.amount,
		kind: e.kind,
		idempotency_key: e.idempotencyKey,
		reference: e.reference ?? null,
		memo: e.memo ?? null,
		actor_user_id: e.actorUserId ?? null,
		grant_id: e.grantId ?? null
	}));
	try {
		const rows = await tx.execute<{
			entry_id: string;
			wallet_id: number;
			amount: string;
			balance_after: string;
			idempotency_key: string;
			duplicate: boolean;
		}>(sql`select * from post_entries(${JSON.stringify(payload)}::jsonb)`);
		const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
		return entries.map((e) => {
			const r = byKey.get(e.idempotencyKey)!;
			return {
				entryId: Number(r.entry_id),
				walletId: r.wallet_id,
				amount: Number(r.amount),
				balanceAfter: Number(r.balance_after),
				idempotencyKey: r.idempotency_key,
				duplicate: r.duplicate
			};
		});
	} catch (err) {
		const pgError = (err as { cause?: PgError }).cause ?? (err as PgError);
		if (pgError.hint === 'insufficient_funds' || pgError.constraint_name === 'ledger_entries_overdraft') {
			throw new InsufficientFundsError(pgError.message ?? 'insufficient_funds');
		}
		throw err;
	}
}

export async function postEntry(tx: DbOrTx, entry: EntryInput): Promise<PostedEntry> {
	const [posted] = await postEntries(tx, [entry]);
	return posted;
}

/** One row of settle_usage's answer (drizzle/0018_settle_set_based.sql): the outcome of the event at position `o`. */
export type UsageSettlementRow = {
	o: number;
	/** The request id was settled before (or earlier in the batch): the original outcome and payload hash. */
	repeat: boolean;
	cost: string;
	wallet_id: number;
	enterprise_id: number | null;
	balance_after: string | null;
	subscription_used: string;
	payload_hash: string | null;
};

/**
 * Settles a batch of priced usage events in one statement (its own transaction): the
 * settle_usage function locks the payers, chooses, and writes the entries (one INSERT, under
 * post_entries' rules), records, allowance uses, holds and roll-ups. `events` is its JSON input.
 */
export async function postUsageBatch(db: DbOrTx, events: unknown[], at: Date, checkPeriods: boolean): Promise<UsageSettlementRow[]> {
	return executePrepared<UsageSettlementRow>(
		db,
		sql`select * from settle_usage(${JSON.stringify(events)}::jsonb, ${at.toISOString()}::timestamptz, ${checkPeriods})`
	);
}
