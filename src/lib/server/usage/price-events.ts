import type { Db } from '../db/client';
import { eventCost, ImagePriceMissingError, MAX_IMAGES_PER_EVENT, MAX_TOKENS_PER_EVENT, priceInForce, usageCost, type ModelPrice } from './price';
import { apiKeyOwners, knownUserIds, modelCatalog } from './metering-lookups';
import { apiKeyOwnersCached, knownUsersCached, modelCatalogCached } from './metering-cache';
import { payloadHash } from './payload-hash';
import type { PricedEvent } from './settle-batch';

export interface UsageEvent {
	requestId: string;
	userId?: number | null;
	/** Bill the owner of this API key (when userId is not given). */
	apiKeyId?: number | null;
	model: string;
	inputTokens?: number;
	outputTokens?: number;
	/** Images generated (image models are billed per image). */
	images?: number;
	/** An explicit cost in credits, for non-token work; the model then needs no price. */
	cost?: number | null;
	occurredAt?: Date;
	metadata?: Record<string, unknown> | null;
}

/** Why an event was not settled; the transport adds 'invalid_event' for one its schema refused. */
export const REJECT_REASONS = [
	'invalid_request_id',
	'unknown_user',
	'unknown_api_key',
	'unknown_model',
	'model_inactive',
	'model_not_priced',
	'image_price_missing',
	'invalid_images',
	'invalid_tokens',
	'invalid_cost',
	'occurred_at_in_future',
	'request_id_conflict',
	'settlement_failed'
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What the first report of a request id answered. */
export interface SettledResult {
	request_id: string;
	status: 'settled';
	cost: number;
	payer_wallet_id: number;
	enterprise_id: number | null;
	balance_after: number | null;
}

export interface SettleResult {
	request_id: string;
	status: 'settled' | 'duplicate' | 'rejected';
	reason?: RejectReason;
	cost?: number;
	payer_wallet_id?: number;
	enterprise_id?: number | null;
	balance_after?: number | null;
	/** With reason 'request_id_conflict': the answer the request id's first report got. */
	original?: SettledResult;
}

export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

const isCount = (n: unknown, max: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max;

const cachedLookups = { users: knownUsersCached, keyOwners: apiKeyOwnersCached, models: modelCatalogCached };
const directLookups = { users: knownUserIds, keyOwners: apiKeyOwners, models: modelCatalog };

/**
 * Checks and prices each event (at most one round of lookups for the whole call, none when every
 * user and model was seen lately: usage/metering-cache.ts): a priced event or why it is rejected.
 * `cached: false` reads everything from the database (the naive baseline).
 */
export async function priceEvents(
	db: Db,
	events: UsageEvent[],
	nowOf: (index: number) => Date,
	{ cached = true }: { cached?: boolean } = {}
): Promise<Array<PricedEvent | RejectReason>> {
	const userIds = [...new Set(events.map((e) => e.userId).filter((id): id is number => Number.isSafeInteger(id)))];
	const keyIds = [...new Set(events.map((e) => e.apiKeyId).filter((id): id is number => Number.isSafeInteger(id)))];
	const codes = [...new Set(events.map((e) => e.model).filter((m) => typeof m === 'string'))];
	const lookups = cached ? cachedLookups : directLookups;
	const [knownUsers, keyOwners, catalog] = await Promise.all([lookups.users(db, userIds), lookups.keyOwners(db, keyIds), lookups.models(db, codes)]);

	return events.map((e, index): PricedEvent | RejectReason => {
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
		const images = e.images ?? 0;
		if (!isCount(images, MAX_IMAGES_PER_EVENT)) return 'invalid_images';
		const explicit = e.cost ?? null;
		if (explicit !== null && !isCount(explicit, Number.MAX_SAFE_INTEGER)) return 'invalid_cost';
		const now = nowOf(index);
		const occurredAt = e.occurredAt ?? now;
		if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) return 'occurred_at_in_future';
		if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return 'occurred_at_in_future';
		let cost: number | null;
		let price: ModelPrice | null = null;
		if (explicit !== null) {
			cost = eventCost({ inputTokens, outputTokens, explicitCost: explicit }, null);
		} else {
			const model = catalog.get(e.model);
			if (!model) return 'unknown_model';
			if (!model.active) return 'model_inactive';
			price = priceInForce(model.prices, occurredAt);
			if (price === null) return 'model_not_priced';
			try {
				cost = usageCost({ inputTokens, outputTokens, images }, price);
			} catch (err) {
				if (err instanceof ImagePriceMissingError) return 'image_price_missing';
				throw err;
			}
		}
		const metadata = e.metadata ?? null;
		const hash = payloadHash({ userId: e.userId ?? null, apiKeyId: e.apiKeyId ?? null, model: e.model, inputTokens, outputTokens, images, cost: explicit, occurredAt: e.occurredAt ?? null, metadata });
		return { requestId: e.requestId, userId, apiKeyId: e.apiKeyId ?? null, model: e.model, inputTokens, outputTokens, images, price, cost: cost!, occurredAt, metadata, payloadHash: hash };
	});
}
