import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys, modelPrices, models, users } from '../db/schema';
import { config } from '../config';
import { eventCost, MAX_TOKENS_PER_EVENT, priceInForce } from './price';
import { RetrySettlementError, settleBatchInTransaction, settleOneNaively, type PricedEvent, type SettledOutcome } from './settle-batch';

export interface UsageEvent {
	requestId: string;
	userId?: number | null;
	/** Bill the owner of this API key (when userId is not given). */
	apiKeyId?: number | null;
	model: string;
	inputTokens?: number;
	outputTokens?: number;
	/** An explicit cost in credits, for non-token work; the model then needs no price. */
	cost?: number | null;
	occurredAt?: Date;
	metadata?: Record<string, unknown> | null;
}

export type RejectReason =
	| 'invalid_request_id'
	| 'unknown_user'
	| 'unknown_api_key'
	| 'unknown_model'
	| 'model_inactive'
	| 'model_not_priced'
	| 'invalid_tokens'
	| 'invalid_cost'
	| 'occurred_at_in_future'
	| 'settlement_failed';

export interface SettleResult {
	request_id: string;
	status: 'settled' | 'duplicate' | 'rejected';
	reason?: RejectReason;
	cost?: number;
	payer_wallet_id?: number;
	group_id?: number | null;
	balance_after?: number | null;
}

export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
const MAX_EVENTS_PER_TRANSACTION = 2000;
const MAX_ATTEMPTS = 6;
/** Batches in flight at once per process; each holds one pooled connection. */
const CONCURRENT_BATCHES = 2;

const isCount = (n: unknown, max: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max;

/** Checks and prices each event (one round of lookups for the whole call): a priced event or why it is rejected. */
async function priceEvents(db: Db, events: UsageEvent[], now: Date): Promise<Array<PricedEvent | RejectReason>> {
	const userIds = [...new Set(events.map((e) => e.userId).filter((id): id is number => Number.isSafeInteger(id)))];
	const keyIds = [...new Set(events.map((e) => e.apiKeyId).filter((id): id is number => Number.isSafeInteger(id)))];
	const codes = [...new Set(events.map((e) => e.model).filter((m) => typeof m === 'string'))];
	const [userRows, keyRows, modelRows] = await Promise.all([
		userIds.length ? db.select({ id: users.id }).from(users).where(inArray(users.id, userIds)) : [],
		keyIds.length ? db.select({ id: apiKeys.id, userId: apiKeys.userId }).from(apiKeys).where(inArray(apiKeys.id, keyIds)) : [],
		codes.length
			? db
					.select({ code: models.code, active: models.active, inputPrice: modelPrices.inputPrice, outputPrice: modelPrices.outputPrice, effectiveFrom: modelPrices.effectiveFrom })
					.from(models)
					.leftJoin(modelPrices, eq(modelPrices.modelId, models.id))
					.where(inArray(models.code, codes))
			: []
	]);
	const knownUsers = new Set(userRows.map((u) => u.id));
	const keyOwners = new Map(keyRows.map((k) => [k.id, k.userId]));
	const catalog = new Map<string, { active: boolean; prices: Array<{ inputPrice: number; outputPrice: number; effectiveFrom: Date }> }>();
	for (const row of modelRows) {
		const entry = catalog.get(row.code) ?? { active: row.active, prices: [] };
		if (row.effectiveFrom !== null) entry.prices.push({ inputPrice: row.inputPrice!, outputPrice: row.outputPrice!, effectiveFrom: row.effectiveFrom });
		catalog.set(row.code, entry);
	}

	return events.map((e): PricedEvent | RejectReason => {
		if (typeof e.requestId !== 'string' || e.requestId.length === 0 || e.requestId.length > 200) return 'invalid_request_id';
		let userId: number;
		if (e.userId !== undefined && e.userId !== null) {
			if (!knownUsers.has(e.userId)) return 'unknown_user';
			userId = e.userId;
		} else {
			const owner = e.apiKeyId == null ? undefined : keyOwners.get(e.apiKeyId);
			if (owner === undefined) return 'unknown_api_key';
			userId = owner;
		}
		const inputTokens = e.inputTokens ?? 0;
		const outputTokens = e.outputTokens ?? 0;
		if (!isCount(inputTokens, MAX_TOKENS_PER_EVENT) || !isCount(outputTokens, MAX_TOKENS_PER_EVENT)) return 'invalid_tokens';
		const explicit = e.cost ?? null;
		if (explicit !== null && !isCount(explicit, Number.MAX_SAFE_INTEGER)) return 'invalid_cost';
		const occurredAt = e.occurredAt ?? now;
		if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) return 'occurred_at_in_future';
		if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return 'occurred_at_in_future';
		let cost: number | null;
		if (explicit !== null) {
			cost = eventCost({ inputTokens, outputTokens, explicitCost: explicit }, null);
		} else {
			const model = catalog.get(e.model);
			if (!model) return 'unknown_model';
			if (!model.active) return 'model_inactive';
			cost = eventCost({ inputTokens, outputTokens }, priceInForce(model.prices, occurredAt));
			if (cost === null) return 'model_not_priced';
		}
		return { requestId: e.requestId, userId, apiKeyId: e.apiKeyId ?? null, model: e.model, inputTokens, outputTokens, cost: cost!, occurredAt, metadata: e.metadata ?? null };
	});
}

function isRetryable(err: unknown): boolean {
	if (err instanceof RetrySettlementError) return true;
	const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
	return code === '40001' || code === '40P01';
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withRetry<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (err) {
			if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
			await pause(Math.random() * 5 * attempt);
		}
	}
}

interface Waiting {
	event: PricedEvent;
	done: (outcome: SettledOutcome | null) => void;
}

/**
 * Group commit: events from concurrent callers wait here and are settled together in one
 * transaction per batch; each caller's promise resolves only after that batch has committed.
 */
class SettlementQueue {
	private waiting: Waiting[] = [];
	private running = 0;
	constructor(private readonly db: Db) {}

	submit(events: PricedEvent[]): Promise<Array<SettledOutcome | null>> {
		const promises = events.map((event) => new Promise<SettledOutcome | null>((done) => this.waiting.push({ event, done })));
		this.pump();
		return Promise.all(promises);
	}

	private pump() {
		while (this.running < CONCURRENT_BATCHES && this.waiting.length > 0) {
			const batch = this.waiting.splice(0, MAX_EVENTS_PER_TRANSACTION);
			this.running++;
			void this.settle(batch).finally(() => {
				this.running--;
				this.pump();
			});
		}
	}

	private async settle(batch: Waiting[]) {
		try {
			const outcomes = await withRetry(() => settleBatchInTransaction(this.db, batch.map((w) => w.event)));
			batch.forEach((w, i) => w.done(outcomes[i]));
		} catch (err) {
			if (batch.length === 1) {
				console.error(`Tally: usage ${batch[0].event.requestId} could not be settled:`, (err as Error).message);
				batch[0].done(null);
				return;
			}
			// One poisoned event must not sink the others: settle each on its own.
			for (const w of batch) await this.settle([w]);
		}
	}
}

const queues = new WeakMap<Db, SettlementQueue>();

function queueFor(db: Db): SettlementQueue {
	let queue = queues.get(db);
	if (!queue) queues.set(db, (queue = new SettlementQueue(db)));
	return queue;
}

async function settleNaively(db: Db, events: PricedEvent[]): Promise<Array<SettledOutcome | null>> {
	return Promise.all(
		events.map((e) =>
			withRetry(() => settleOneNaively(db, e)).catch((err) => {
				console.error(`Tally: usage ${e.requestId} could not be settled:`, (err as Error).message);
				return null;
			})
		)
	);
}

function logSettlements(settled: Array<{ event: PricedEvent; outcome: SettledOutcome }>) {
	if (settled.length === 0 || !config().LOG_SETTLEMENTS) return;
	const lines = settled.map(
		({ event, outcome }) =>
			`[credit_deduct] ${JSON.stringify({
				request_id: event.requestId,
				user: event.userId,
				payer_wallet: outcome.payerWalletId,
				group: outcome.groupId,
				model: event.model,
				input_tokens: event.inputTokens,
				output_tokens: event.outputTokens,
				cost: outcome.cost,
				subscription_used: 0,
				regular_used: outcome.cost,
				balance_after: outcome.balanceAfter
			})}`
	);
	process.stdout.write(lines.join('\n') + '\n');
}

/**
 * Prices, checks and settles usage events; answers one result per event, in order. A request id
 * seen before answers 'duplicate' with the original result. Nothing is answered 'settled' before
 * its transaction committed.
 */
export async function settleUsage(db: Db, events: UsageEvent[], opts: { now?: Date; log?: boolean } = {}): Promise<SettleResult[]> {
	const priced = await priceEvents(db, events, opts.now ?? new Date());
	const accepted = priced.filter((p): p is PricedEvent => typeof p !== 'string');
	const outcomes = config().USAGE_SETTLE_MODE === 'naive' ? await settleNaively(db, accepted) : await queueFor(db).submit(accepted);
	const settled: Array<{ event: PricedEvent; outcome: SettledOutcome }> = [];
	let next = 0;
	const results = priced.map((p, i): SettleResult => {
		const requestId = String(events[i].requestId);
		if (typeof p === 'string') return { request_id: requestId, status: 'rejected', reason: p };
		const outcome = outcomes[next++];
		if (!outcome) return { request_id: requestId, status: 'rejected', reason: 'settlement_failed' };
		if (outcome.status === 'settled') settled.push({ event: p, outcome });
		return {
			request_id: requestId,
			status: outcome.status,
			cost: outcome.cost,
			payer_wallet_id: outcome.payerWalletId,
			group_id: outcome.groupId,
			balance_after: outcome.balanceAfter
		};
	});
	if (opts.log !== false) logSettlements(settled);
	return results;
}
