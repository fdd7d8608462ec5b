import { sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client';
import { grantPart, planSpend, usageEntries } from '../ledger/burn-down';
import { grantsOf } from '../ledger/grants';
import { ensureCurrentPeriods } from '../plans/periods';
import { postEntries, postUsageBatch, type UsageSettlementRow } from '../ledger/post';
import type { ModelPrice } from './price';
import { payerOptions } from './payer-chain';
import { idArray } from '../db/value-list';

/** An event that passed validation and has a price: everything settlement needs. */
export interface PricedEvent {
	requestId: string;
	userId: number;
	apiKeyId: number | null;
	model: string;
	inputTokens: number;
	outputTokens: number;
	/** Images generated (0 when absent). */
	images?: number;
	/** The price row used; null or absent for an explicit cost (then allowances do not cover it). */
	price?: ModelPrice | null;
	cost: number;
	occurredAt: Date;
	metadata: Record<string, unknown> | null;
	/** The reported payload's hash (payload-hash.ts): a repeat of the request id must carry the same. */
	payloadHash: string;
}

export interface SettledOutcome {
	status: 'settled' | 'duplicate';
	cost: number;
	payerWalletId: number;
	enterpriseId: number | null;
	/** The paying wallet's balance right after this event; null for a free (cost 0) event seen again. */
	balanceAfter: number | null;
	/** Credits taken from grants; the rest came from the regular balance. */
	subscriptionUsed: number;
}

/** The request id was first reported with another payload; `original` is what that report settled. */
export interface ConflictOutcome {
	status: 'conflict';
	original: SettledOutcome;
}

export type BatchOutcome = SettledOutcome | ConflictOutcome;

/** The naive baseline: a request id was inserted by someone else meanwhile; roll back and try again. */
export class RetrySettlementError extends Error {}

/** A request id already settled: its outcome and the hash of the payload it was reported with. */
interface Settled {
	outcome: SettledOutcome;
	payloadHash: string | null;
}

/** A repeat answers 'duplicate' when it reports the same payload (or the original predates hashes), else a conflict. */
function repeatOutcome(earlier: Settled, event: PricedEvent): BatchOutcome {
	if (earlier.payloadHash === null || earlier.payloadHash === event.payloadHash) return { ...earlier.outcome, status: 'duplicate' };
	return { status: 'conflict', original: earlier.outcome };
}

/** settle_usage's input: everything it needs of an event, prices included for what allowances leave uncovered. */
function settlementInput(e: PricedEvent) {
	return {
		request_id: e.requestId,
		user_id: e.userId,
		api_key_id: e.apiKeyId,
		model: e.model,
		input_tokens: e.inputTokens,
		output_tokens: e.outputTokens,
		images: e.images ?? 0,
		cost: e.cost,
		occurred_at: e.occurredAt.toISOString(),
		metadata: e.metadata,
		payload_hash: e.payloadHash,
		priced: !!e.price,
		input_price: e.price?.inputPrice ?? null,
		output_price: e.price?.outputPrice ?? null,
		image_price: e.price?.imagePrice ?? null
	};
}

function outcomeOf(row: Pick<UsageSettlementRow, 'cost' | 'wallet_id' | 'enterprise_id' | 'balance_after' | 'subscription_used'>): SettledOutcome {
	return {
		status: 'settled',
		cost: Number(row.cost),
		payerWalletId: row.wallet_id,
		enterpriseId: row.enterprise_id,
		balanceAfter: row.balance_after === null ? null : Number(row.balance_after),
		subscriptionUsed: Number(row.subscription_used)
	};
}

const isPeriodsDue = (err: unknown) => ((err as { cause?: { hint?: string } }).cause ?? (err as { hint?: string })).hint === 'plan_periods_due';

/**
 * Settles a batch in ONE statement, its own transaction (settle_usage through the ledger module,
 * drizzle/0018_settle_set_based.sql): dedupe by request id, lock every wallet that could pay (id order),
 * cover from plan allowances, choose each event's payer along the chain with balances, grants and
 * limit room running through the batch, post the entries, write the records, allowance uses, holds,
 * daily roll-ups and month-to-date spend. Returns one outcome per event, in order. A plan period
 * that is due is granted first in its own transaction (plans/periods.ts), then the batch settles.
 * A request id inserted by someone else meanwhile raises serialization_failure (40001): the retry
 * then answers a duplicate or a conflict.
 */
export async function settleBatchInTransaction(db: Db, events: PricedEvent[], at = new Date()): Promise<BatchOutcome[]> {
	const input = events.map(settlementInput);
	let rows: UsageSettlementRow[];
	try {
		rows = await postUsageBatch(db, input, at, true);
	} catch (err) {
		if (!isPeriodsDue(err)) throw err;
		const userIds = [...new Set(events.map((e) => e.userId))];
		await db.transaction(async (tx) => {
			await tx.execute(sql`select id from wallets where user_id = any(${idArray(userIds)}) order by id for update`);
			await ensureCurrentPeriods(tx, userIds, at);
		});
		rows = await postUsageBatch(db, input, at, false);
	}
	const outcomes: BatchOutcome[] = new Array(events.length);
	for (const row of rows) {
		const event = events[row.o - 1];
		outcomes[row.o - 1] = row.repeat ? repeatOutcome({ outcome: outcomeOf(row), payloadHash: row.payload_hash }, event) : outcomeOf(row);
	}
	return outcomes;
}

/**
 * Adds settled usage to the daily roll-ups and the month-to-date spend counters (roll_up_usage,
 * the one statement settlement uses too). For writers of usage outside settlement: the naive
 * baseline and tests.
 */
export async function rollUpUsage(
	tx: DbOrTx,
	usage: Array<{ occurredAt: Date; userId: number; walletId: number; model: string; inputTokens: number; outputTokens: number; cost: number }>
): Promise<void> {
	const rows = usage.map((u) => ({
		occurred_at: u.occurredAt.toISOString(),
		user_id: u.userId,
		wallet_id: u.walletId,
		model: u.model,
		input_tokens: u.inputTokens,
		output_tokens: u.outputTokens,
		cost: u.cost
	}));
	await tx.execute(sql`select roll_up_usage(${JSON.stringify(rows)}::jsonb)`);
}

type Original = {
	request_id: string;
	cost: string;
	wallet_id: number;
	enterprise_id: number | null;
	balance_after: string | null;
	payload_hash: string | null;
	subscription_used: string;
};

/** The naive baseline's read of a request id settled before. */
async function original(tx: Tx, requestId: string): Promise<Settled | undefined> {
	const [r] = await tx.execute<Original>(sql`
		select u.request_id, u.cost, u.wallet_id, u.enterprise_id, e.balance_after, u.payload_hash, u.subscription_used
		from usage_records u
		left join ledger_entries e on e.idempotency_key = 'usage:' || u.request_id
		where u.request_id = ${requestId}`);
	if (!r) return undefined;
	return { outcome: outcomeOf(r), payloadHash: r.payload_hash };
}

/**
 * The benchmark's baseline (USAGE_SETTLE_MODE=naive), never used in production: one
 * transaction per event — SELECT … FOR UPDATE the payer, UPDATE its balance, INSERT the entry
 * (plus the same usage record and roll-up as the real path, so only the batching differs).
 */
export async function settleOneNaively(db: Db, event: PricedEvent, at = new Date()): Promise<BatchOutcome> {
	return db.transaction(async (tx) => {
		const options = await payerOptions(tx, [event.userId], at);
		const own = options.get(event.userId)!.at(-1)!;
		const [wallet] = await tx.execute<{ balance: string }>(sql`select balance from wallets where id = ${own.walletId} for update`);
		const existing = await original(tx, event.requestId);
		if (existing) return repeatOutcome(existing, event);
		const grants = await grantsOf(tx, [own.walletId], { lock: true });
		const parts = planSpend(grants.get(own.walletId) ?? [], event.cost, at);
		const subscriptionUsed = grantPart(parts);
		const balanceAfter = Number(wallet.balance) - event.cost;
		const inserted = await tx.execute(sql`insert into usage_records (request_id, user_id, api_key_id, model, input_tokens,
				output_tokens, cost, wallet_id, enterprise_id, subscription_used, regular_used, occurred_at, metadata, payload_hash)
			values (${event.requestId}, ${event.userId}, ${event.apiKeyId}, ${event.model}, ${event.inputTokens}, ${event.outputTokens},
				${event.cost}, ${own.walletId}, null, ${subscriptionUsed}, ${event.cost - subscriptionUsed}, ${event.occurredAt.toISOString()},
				${event.metadata === null ? null : JSON.stringify(event.metadata)}::jsonb, ${event.payloadHash})
			on conflict (request_id) do nothing returning 1`);
		if (inserted.length === 0) throw new RetrySettlementError('request id settled concurrently');
		await postEntries(tx, usageEntries(event.requestId, own.walletId, parts));
		await rollUpUsage(tx, [{ ...event, walletId: own.walletId }]);
		return { status: 'settled', cost: event.cost, payerWalletId: own.walletId, enterpriseId: null, balanceAfter, subscriptionUsed };
	});
}
