import type { Db } from '../db/client';
import { config } from '../config';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../db/outage';
import { isTransactionConflict, withRetry } from '../db/retry';
import { log as logger, writeLogLines } from '../log';
import { priceEvents, type RejectReason, type SettledResult, type SettleResult, type UsageEvent } from './price-events';
import { RetrySettlementError, settleBatchInTransaction, settleOneNaively, type BatchOutcome, type PricedEvent, type SettledOutcome } from './settle-batch';

export type { RejectReason, SettledResult, SettleResult, UsageEvent } from './price-events';

/** A request id reported again with another payload (user, model, tokens, cost, time or metadata). */
export class RequestIdConflictError extends Error {
	readonly code = 'request_id_conflict';
	constructor(readonly original: SettledResult) {
		super(`request id ${JSON.stringify(original.request_id)} was first reported with another payload`);
	}
}

const MAX_EVENTS_PER_TRANSACTION = 2000;
const MAX_ATTEMPTS = 6;
/** Batches in flight at once per process; each holds one pooled connection. */
const CONCURRENT_BATCHES = 2;

/** Whom an event bills, as far as the queue knows before pricing: its user, else its API key's owner. */
const payerOf = (event: UsageEvent) => (event.userId != null ? `user:${event.userId}` : `key:${event.apiKeyId}`);

function isRetryable(err: unknown): boolean {
	if (err instanceof RetrySettlementError) return true;
	return isTransactionConflict(err);
}

/** The database's own message rather than the failed query text drizzle wraps it in. */
function reasonOf(err: unknown): string {
	const e = err as { message?: string; cause?: { message?: string } };
	return e.cause?.message ?? e.message ?? String(err);
}


function answer(request_id: string, outcome: SettledOutcome) {
	return { request_id, cost: outcome.cost, payer_wallet_id: outcome.payerWalletId, enterprise_id: outcome.enterpriseId, balance_after: outcome.balanceAfter };
}

function toResult(requestId: unknown, outcome: BatchOutcome | RejectReason): SettleResult {
	const request_id = String(requestId);
	if (typeof outcome === 'string') return { request_id, status: 'rejected', reason: outcome };
	if (outcome.status === 'conflict') {
		return { request_id, status: 'rejected', reason: 'request_id_conflict', original: { ...answer(request_id, outcome.original), status: 'settled' } };
	}
	const { cost, payer_wallet_id, enterprise_id, balance_after } = answer(request_id, outcome);
	return { request_id, status: outcome.status, cost, payer_wallet_id, enterprise_id, balance_after };
}

function logFailure(requestId: unknown, err: unknown) {
	logger.error({ usage_request_id: String(requestId), reason: reasonOf(err) }, 'usage event could not be settled');
}

function logLine(event: PricedEvent, outcome: SettledOutcome): string {
	return `[credit_deduct] ${JSON.stringify({
		request_id: event.requestId,
		user: event.userId,
		payer_wallet: outcome.payerWalletId,
		enterprise: outcome.enterpriseId,
		model: event.model,
		input_tokens: event.inputTokens,
		output_tokens: event.outputTokens,
		images: event.images ?? 0,
		cost: outcome.cost,
		subscription_used: outcome.subscriptionUsed,
		regular_used: outcome.cost - outcome.subscriptionUsed,
		balance_after: outcome.balanceAfter
	})}`;
}

/** Whether settled events are logged (LOG_SETTLEMENTS); when not, their lines are not even built. */
const logging = () => config().LOG_SETTLEMENTS;

interface Waiting {
	event: UsageEvent;
	/** payerOf(event), computed once: take() reads it for every waiting event each time a batch may start. */
	payer: string;
	now: Date;
	log: boolean;
	done: (result: SettleResult) => void;
	fail: (err: DatabaseUnavailableError) => void;
}

/**
 * Group commit: events from concurrent callers wait here; each batch is checked and priced with
 * one round of lookups and settled in ONE statement (settle_usage, settle-batch.ts). A caller's promise resolves only after
 * the batch holding its events has committed; no money is held outside the database.
 *
 * A batch that fails (an event the database refuses) is split in halves that are settled again,
 * recursively, so k bad events among n cost O(k log n) transactions and only the bad ones answer
 * 'settlement_failed'. The halves are settled by one slot at a time, leaving the other slots to
 * fresh batches.
 *
 * A second fresh batch in flight takes only events whose users (or API keys) the first does not
 * bill. A user's events settle one batch at a time, in arrival order (a failed batch's halves
 * aside): on a busy wallet the events that come meanwhile make one bigger batch rather than a second
 * one waiting on the same wallet lock, and a batch held up by its wallet's lock (another transaction
 * on that wallet) holds up no other user's.
 */
class SettlementQueue {
	private waiting: Waiting[] = [];
	/** Halves of failed batches, waiting to be settled again. */
	private halves: Waiting[][] = [];
	private splitting = false;
	private running = 0;
	/** Payers (payerOf) of the fresh batches in flight; take() keeps those batches' payers apart. */
	private payers = new Set<string>();
	constructor(private readonly db: Db) {}

	submit(events: UsageEvent[], now: Date, log: boolean): Promise<SettleResult[]> {
		const promises = events.map((event) => new Promise<SettleResult>((done, fail) => this.waiting.push({ event, payer: payerOf(event), now, log, done, fail })));
		this.pump();
		return Promise.all(promises);
	}

	private pump() {
		while (this.running < CONCURRENT_BATCHES) {
			const split = !this.splitting && this.halves.length > 0;
			const batch = split ? this.halves.shift()! : this.take();
			if (batch.length === 0) return;
			if (split) this.splitting = true;
			// A half retries events already taken: fresh events of its payers need not wait for the split.
			const payers = split ? [] : [...new Set(batch.map((w) => w.payer))];
			for (const p of payers) this.payers.add(p);
			this.running++;
			void this.settle(batch).finally(() => {
				this.running--;
				for (const p of payers) this.payers.delete(p);
				if (split) this.splitting = false;
				this.pump();
			});
		}
	}

	/** The next batch from the waiting events: all of them (up to the limit), or with batches in flight, those of other payers. */
	private take(): Waiting[] {
		if (this.payers.size === 0) return this.waiting.splice(0, MAX_EVENTS_PER_TRANSACTION);
		// Every report that arrives while a batch is in flight asks again: answer "none" without copying the list.
		if (this.waiting.every((w) => this.payers.has(w.payer))) return [];
		const taken: Waiting[] = [];
		const kept: Waiting[] = [];
		for (const w of this.waiting) {
			if (taken.length < MAX_EVENTS_PER_TRANSACTION && !this.payers.has(w.payer)) taken.push(w);
			else kept.push(w);
		}
		this.waiting = kept;
		return taken;
	}

	private async settle(batch: Waiting[]): Promise<void> {
		let priced: Array<PricedEvent | RejectReason>;
		let outcomes: BatchOutcome[];
		try {
			priced = await priceEvents(this.db, batch.map((w) => w.event), (i) => batch[i].now);
			const accepted = priced.filter((p): p is PricedEvent => typeof p !== 'string');
			// Settled at the callers' time (the latest, when callers differ): limits count that month.
			const at = new Date(Math.max(...batch.map((w) => w.now.getTime())));
			outcomes = accepted.length ? await withRetry(() => settleBatchInTransaction(this.db, accepted, at), isRetryable, MAX_ATTEMPTS) : [];
		} catch (err) {
			// Without a database nothing can settle: every caller hears so at once (a retry is safe).
			if (isDatabaseUnavailable(err)) {
				for (const w of batch) w.fail(new DatabaseUnavailableError('database_unavailable', { cause: err }));
				return;
			}
			if (batch.length === 1) {
				logFailure(batch[0].event.requestId, err);
				batch[0].done(toResult(batch[0].event.requestId, 'settlement_failed'));
				return;
			}
			const half = Math.ceil(batch.length / 2);
			this.halves.push(batch.slice(0, half), batch.slice(half));
			return;
		}
		const lines: string[] = [];
		const log = logging();
		let next = 0;
		batch.forEach((w, i) => {
			const p = priced[i];
			const outcome = typeof p === 'string' ? p : outcomes[next++];
			if (log && w.log && typeof p !== 'string' && typeof outcome !== 'string' && outcome.status === 'settled') lines.push(logLine(p, outcome));
			w.done(toResult(w.event.requestId, outcome));
		});
		writeLogLines(lines);
	}
}

const queues = new WeakMap<Db, SettlementQueue>();

function queueFor(db: Db): SettlementQueue {
	let queue = queues.get(db);
	if (!queue) queues.set(db, (queue = new SettlementQueue(db)));
	return queue;
}

/** USAGE_SETTLE_MODE=naive, the benchmark's baseline: checks per call, one transaction per event. */
async function settleNaively(db: Db, events: UsageEvent[], now: Date, log: boolean): Promise<SettleResult[]> {
	const priced = await priceEvents(db, events, () => now, { cached: false });
	const lines: string[] = [];
	const results = await Promise.all(
		priced.map(async (p, i) => {
			if (typeof p === 'string') return toResult(events[i].requestId, p);
			try {
				const outcome = await withRetry(() => settleOneNaively(db, p, now), isRetryable, MAX_ATTEMPTS);
				if (outcome.status === 'settled' && log && logging()) lines.push(logLine(p, outcome));
				return toResult(p.requestId, outcome);
			} catch (err) {
				logFailure(p.requestId, err);
				return toResult(p.requestId, 'settlement_failed');
			}
		})
	);
	writeLogLines(lines);
	return results;
}

/**
 * Checks, prices and settles usage events; answers one result per event, in order. A request id
 * seen before answers 'duplicate' with the original result when reported with the same payload,
 * else is rejected as 'request_id_conflict' with the original. Nothing is answered 'settled'
 * before its transaction committed.
 */
export async function settleUsage(db: Db, events: UsageEvent[], opts: { now?: Date; log?: boolean } = {}): Promise<SettleResult[]> {
	if (events.length === 0) return [];
	const now = opts.now ?? new Date();
	const log = opts.log !== false;
	if (config().USAGE_SETTLE_MODE === 'naive') return settleNaively(db, events, now, log);
	return queueFor(db).submit(events, now, log);
}

/** One event reported alone: its result; throws RequestIdConflictError when its request id was first reported with another payload. */
export async function settleUsageEvent(db: Db, event: UsageEvent, opts: { now?: Date; log?: boolean } = {}): Promise<SettleResult> {
	const [result] = await settleUsage(db, [event], opts);
	if (result.reason === 'request_id_conflict') throw new RequestIdConflictError(result.original!);
	return result;
}
