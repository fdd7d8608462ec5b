import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { grantPart, planSpend, spendableBalance, usageEntries, type Part } from '../ledger/burn-down';
import { allowancesOf, recordAllowanceUses, type AllowanceUse } from '../ledger/allowances';
import { grantsOf } from '../ledger/grants';
import { ensureCurrentPeriods } from '../plans/periods';
import { coverEvent } from './allowance-cover';
import { captureHolds } from '../ledger/holds';
import { postEntries } from '../ledger/post';
import type { ModelPrice } from './price';
import { candidateWallets, choosePayer, payerOptions, type PayerOption } from './payer-chain';
import { utcDay } from '../calendar';

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
	groupId: number | null;
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

/** Someone changed what this batch read (a request id or a membership) meanwhile: roll back and try again. */
export class RetrySettlementError extends Error {}

type Original = {
	request_id: string;
	cost: string;
	wallet_id: number;
	group_id: number | null;
	balance_after: string | null;
	payload_hash: string | null;
	subscription_used: string;
};

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

async function originals(tx: Tx, requestIds: string[]): Promise<Map<string, Settled>> {
	const rows = await tx.execute<Original>(sql`
		select u.request_id, u.cost, u.wallet_id, u.group_id, e.balance_after, u.payload_hash, u.subscription_used
		from usage_records u
		left join ledger_entries e on e.idempotency_key = 'usage:' || u.request_id
		where u.request_id in (select jsonb_array_elements_text(${JSON.stringify(requestIds)}::jsonb))`);
	return new Map(
		rows.map((r) => [
			r.request_id,
			{
				outcome: {
					status: 'settled' as const,
					cost: Number(r.cost),
					payerWalletId: r.wallet_id,
					groupId: r.group_id,
					balanceAfter: r.balance_after === null ? null : Number(r.balance_after),
					subscriptionUsed: Number(r.subscription_used)
				},
				payloadHash: r.payload_hash
			}
		])
	);
}

/**
 * Settles a batch in ONE transaction: locks every wallet that could pay (id order), chooses each
 * event's payer with balances running through the batch, then in one statement inserts the usage
 * records, appends the ledger entries (idempotency key usage:<request_id>, balance_after from the
 * locked balance), moves the balances and upserts the daily roll-ups. Returns one outcome per event,
 * in order. Throws RetrySettlementError when a request id was inserted by someone else meanwhile: the
 * retry then reads that row and answers a duplicate or a conflict.
 */
export async function settleBatchInTransaction(db: Db, events: PricedEvent[], at = new Date()): Promise<BatchOutcome[]> {
	return db.transaction(async (tx) => {
		const userIds = [...new Set(events.map((e) => e.userId))];
		const walletIds = (await candidateWallets(tx, userIds)).sort((a, b) => a - b);
		const lockWallets = () =>
			tx.execute<{ id: number; balance: string }>(sql`
			select id, balance from wallets
			where id in (select jsonb_array_elements_text(${JSON.stringify(walletIds)}::jsonb)::int)
			order by id for update`);
		let locked = await lockWallets();
		// Plans: a period whose reset has not run yet is granted here, lazily (plans/periods.ts); its
		// credit allowance moved balances, so read them again.
		if ((await ensureCurrentPeriods(tx, userIds, at)) > 0) locked = await lockWallets();
		const balances = new Map(locked.map((w) => [w.id, Number(w.balance)]));
		// Sent together and run in this order on the transaction's connection (postgres.js pipelines
		// them), all under the wallet locks taken above.
		const [grants, allowances, options, seen] = await Promise.all([
			grantsOf(tx, walletIds, { lock: true }),
			allowancesOf(tx, walletIds, { lock: true }),
			payerOptions(tx, userIds, at),
			originals(tx, [...new Set(events.map((e) => e.requestId))])
		]);
		const spendableOf = (id: number) => spendableBalance(balances.get(id) ?? 0, grants.get(id) ?? [], at);

		const outcomes: BatchOutcome[] = [];
		const fresh: Fresh[] = [];
		const limitsUsed = new Map<string, number>();
		for (const event of events) {
			const earlier = seen.get(event.requestId);
			if (earlier) {
				outcomes.push(repeatOutcome(earlier, event));
				continue;
			}
			const userOptions = (options.get(event.userId) ?? []).map((o) => ({
				...o,
				limitLeft: o.limitLeft === null ? null : o.limitLeft - (limitsUsed.get(`${event.userId}:${o.walletId}`) ?? 0)
			}));
			// Plans: token and image allowances first (own wallet, then the enterprises); only `toPay` goes through the payer chain.
			const walletOrder = userOptions.length ? [userOptions[userOptions.length - 1].walletId, ...userOptions.slice(0, -1).map((o) => o.walletId)] : [];
			const { toPay, uses } = coverEvent(event, walletOrder, allowances, at);
			const payer = toPay === 0 && userOptions.length ? userOptions[userOptions.length - 1] : choosePayer(userOptions, toPay, spendableOf);
			if (!balances.has(payer.walletId)) throw new RetrySettlementError(`payer wallet ${payer.walletId} joined the chain after the lock`);
			const parts = planSpend(grants.get(payer.walletId) ?? [], toPay, at);
			const balanceAfter = balances.get(payer.walletId)! + -toPay;
			balances.set(payer.walletId, balanceAfter);
			const limitKey = `${event.userId}:${payer.walletId}`;
			limitsUsed.set(limitKey, (limitsUsed.get(limitKey) ?? 0) + toPay);
			const subscriptionUsed = event.cost - toPay + grantPart(parts);
			const outcome: SettledOutcome = {
				status: 'settled',
				cost: event.cost,
				payerWalletId: payer.walletId,
				groupId: payer.groupId,
				balanceAfter,
				subscriptionUsed
			};
			outcomes.push(outcome);
			seen.set(event.requestId, { outcome, payloadHash: event.payloadHash });
			fresh.push({ event, payer, parts, uses, subscriptionUsed });
		}
		if (fresh.length === 0) return outcomes;
		await writeSettlements(tx, fresh, at);
		return outcomes;
	});
}

interface Fresh {
	event: PricedEvent;
	payer: PayerOption;
	parts: Part[];
	/** Plans: what token/image allowances covered (recorded with the batch). */
	uses: AllowanceUse[];
	/** Allowance credits + credit grants; the rest of the cost is regular_used. */
	subscriptionUsed: number;
}

/**
 * Writes a batch's usage records and roll-ups in one statement, then posts all its ledger entries
 * through the ledger's set-based post_entries in one more, and captures the batch's holds.
 */
async function writeSettlements(tx: Tx, fresh: Fresh[], at: Date) {
	const records = fresh.map(({ event: e, payer, subscriptionUsed }, seq) => {
		return {
			seq,
			request_id: e.requestId,
			user_id: e.userId,
			api_key_id: e.apiKeyId,
			model: e.model,
			input_tokens: e.inputTokens,
			output_tokens: e.outputTokens,
			images: e.images ?? 0,
			cost: e.cost,
			wallet_id: payer.walletId,
			group_id: payer.groupId,
			subscription_used: subscriptionUsed,
			regular_used: e.cost - subscriptionUsed,
			occurred_at: e.occurredAt.toISOString(),
			metadata: e.metadata,
			payload_hash: e.payloadHash
		};
	});
	const daily = new Map<string, { day: string; user_id: number; wallet_id: number; model: string; requests: number; input_tokens: number; output_tokens: number; cost: number }>();
	for (const { event, payer } of fresh) {
		const day = utcDay(event.occurredAt);
		const key = `${event.userId}|${day}|${event.model}|${payer.walletId}`;
		const row = daily.get(key) ?? { day, user_id: event.userId, wallet_id: payer.walletId, model: event.model, requests: 0, input_tokens: 0, output_tokens: 0, cost: 0 };
		row.requests += 1;
		row.input_tokens += event.inputTokens;
		row.output_tokens += event.outputTokens;
		row.cost += event.cost;
		daily.set(key, row);
	}
	const dailyRows = [...daily.values()].sort((a, b) =>
		a.user_id - b.user_id || a.day.localeCompare(b.day) || a.model.localeCompare(b.model) || a.wallet_id - b.wallet_id
	);

	// The four statements go out together (one round trip) and run in order.
	const [[result]] = await Promise.all([
		tx.execute<{ inserted: string }>(sql`
		with rec as (
			insert into usage_records (request_id, user_id, api_key_id, model, input_tokens, output_tokens, images, cost,
				wallet_id, group_id, subscription_used, regular_used, occurred_at, metadata, payload_hash)
			select request_id, user_id, api_key_id, model, input_tokens, output_tokens, images, cost,
				wallet_id, group_id, subscription_used, regular_used, occurred_at, metadata, payload_hash
			from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(seq int, request_id text, user_id int,
				api_key_id int, model text, input_tokens bigint, output_tokens bigint, images bigint, cost bigint, wallet_id int,
				group_id int, subscription_used bigint, regular_used bigint, occurred_at timestamptz, metadata jsonb, payload_hash text)
			order by request_id
			on conflict (request_id) do nothing
			returning 1
		), day as (
			insert into usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
			select day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost
			from jsonb_to_recordset(${JSON.stringify(dailyRows)}::jsonb) as x(day date, user_id int, wallet_id int,
				model text, requests bigint, input_tokens bigint, output_tokens bigint, cost bigint)
			on conflict (user_id, day, model, wallet_id) do update set
				requests = usage_daily.requests + excluded.requests,
				input_tokens = usage_daily.input_tokens + excluded.input_tokens,
				output_tokens = usage_daily.output_tokens + excluded.output_tokens,
				cost = usage_daily.cost + excluded.cost
			returning 1
		)
		select (select count(*) from rec) as inserted, (select count(*) from day) as d`),
		postEntries(
			tx,
			fresh.flatMap(({ event, payer, parts }) => usageEntries(event.requestId, payer.walletId, parts))
		),
		recordAllowanceUses(tx, fresh.flatMap((f) => f.uses)),
		captureHolds(tx, fresh.map(({ event }) => ({ requestId: event.requestId, cost: event.cost })), at)
	]);
	if (Number(result.inserted) !== records.length) {
		throw new RetrySettlementError(`${records.length - Number(result.inserted)} request ids were settled concurrently`);
	}
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
		const existing = (await originals(tx, [event.requestId])).get(event.requestId);
		if (existing) return repeatOutcome(existing, event);
		const grants = await grantsOf(tx, [own.walletId], { lock: true });
		const parts = planSpend(grants.get(own.walletId) ?? [], event.cost, at);
		const subscriptionUsed = grantPart(parts);
		const balanceAfter = Number(wallet.balance) - event.cost;
		const inserted = await tx.execute(sql`insert into usage_records (request_id, user_id, api_key_id, model, input_tokens,
				output_tokens, cost, wallet_id, group_id, subscription_used, regular_used, occurred_at, metadata, payload_hash)
			values (${event.requestId}, ${event.userId}, ${event.apiKeyId}, ${event.model}, ${event.inputTokens}, ${event.outputTokens},
				${event.cost}, ${own.walletId}, null, ${subscriptionUsed}, ${event.cost - subscriptionUsed}, ${event.occurredAt.toISOString()},
				${event.metadata === null ? null : JSON.stringify(event.metadata)}::jsonb, ${event.payloadHash})
			on conflict (request_id) do nothing returning 1`);
		if (inserted.length === 0) throw new RetrySettlementError('request id settled concurrently');
		await postEntries(tx, usageEntries(event.requestId, own.walletId, parts));
		await tx.execute(sql`insert into usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
			values (${utcDay(event.occurredAt)}, ${event.userId}, ${own.walletId}, ${event.model}, 1, ${event.inputTokens}, ${event.outputTokens}, ${event.cost})
			on conflict (user_id, day, model, wallet_id) do update set requests = usage_daily.requests + 1,
				input_tokens = usage_daily.input_tokens + excluded.input_tokens,
				output_tokens = usage_daily.output_tokens + excluded.output_tokens, cost = usage_daily.cost + excluded.cost`);
		return { status: 'settled', cost: event.cost, payerWalletId: own.walletId, groupId: null, balanceAfter, subscriptionUsed };
	});
}
