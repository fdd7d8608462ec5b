/** Prices are integer credits per 1,000,000 tokens (PRODUCT.md, "Money rules"). */
export const TOKENS_PER_PRICE_UNIT = 1_000_000n;

/** The most tokens one event may report per field; more is taken as a client bug. */
export const MAX_TOKENS_PER_EVENT = 10_000_000;

export interface TokenPrice {
	inputPrice: number;
	outputPrice: number;
}

export class InvalidPriceInputError extends Error {}

function assertCount(name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
	if (!Number.isSafeInteger(value) || value < 0 || value > max) {
		throw new InvalidPriceInputError(`${name} must be a whole number between 0 and ${max}, got ${value}`);
	}
}

/**
 * Cost of one request in credits: ceil((in × inPrice + out × outPrice) / 1,000,000).
 * BigInt throughout, because tokens × price can pass 2^53 before the division.
 */
export function tokenCost(inputTokens: number, outputTokens: number, price: TokenPrice): number {
	assertCount('input_tokens', inputTokens);
	assertCount('output_tokens', outputTokens);
	assertCount('input_price', price.inputPrice);
	assertCount('output_price', price.outputPrice);
	const numerator = BigInt(inputTokens) * BigInt(price.inputPrice) + BigInt(outputTokens) * BigInt(price.outputPrice);
	const cost = (numerator + TOKENS_PER_PRICE_UNIT - 1n) / TOKENS_PER_PRICE_UNIT;
	if (cost > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidPriceInputError('cost exceeds the largest safe integer');
	return Number(cost);
}

export interface PriceRow extends TokenPrice {
	effectiveFrom: Date;
}

/** The price row in force at `at`: the latest one whose effective_from is not after it. */
export function priceInForce<T extends PriceRow>(rows: readonly T[], at: Date): T | null {
	let best: T | null = null;
	for (const row of rows) {
		if (row.effectiveFrom.getTime() > at.getTime()) continue;
		if (!best || row.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = row;
	}
	return best;
}

/** An event's cost: its explicit cost when given (non-token work), else priced from tokens. */
export function eventCost(
	event: { inputTokens: number; outputTokens: number; explicitCost?: number | null },
	price: TokenPrice | null
): number | null {
	if (event.explicitCost !== undefined && event.explicitCost !== null) {
		assertCount('cost', event.explicitCost);
		return event.explicitCost;
	}
	if (!price) return null;
	return tokenCost(event.inputTokens, event.outputTokens, price);
}

/** Everything a price row bills: tokens per 1M, images each (null = not billed), and a floor per request. */
export interface ModelPrice extends TokenPrice {
	imagePrice: number | null;
	minCharge: number;
}

/** What one request used: tokens in and out, and images. */
export interface Consumption {
	inputTokens: number;
	outputTokens: number;
	images: number;
}

/** The most images one event may report. */
export const MAX_IMAGES_PER_EVENT = 10_000;

export class ImagePriceMissingError extends InvalidPriceInputError {}

/** Tokens and images at list price, before the per-request floor. */
function listCost(use: Consumption, price: ModelPrice): number {
	assertCount('images', use.images, MAX_IMAGES_PER_EVENT);
	if (use.images > 0 && price.imagePrice === null) throw new ImagePriceMissingError('this model has no per-image price');
	const cost = tokenCost(use.inputTokens, use.outputTokens, price) + use.images * (price.imagePrice ?? 0);
	if (!Number.isSafeInteger(cost)) throw new InvalidPriceInputError('cost exceeds the largest safe integer');
	return cost;
}

/** A request's cost: tokens and images at list price, at least the price row's minimum charge. */
export function usageCost(use: Consumption, price: ModelPrice): number {
	return Math.max(listCost(use, price), price.minCharge);
}

/**
 * What is still to pay from a balance when allowances covered part of a request costing `cost`:
 * nothing when they covered all of it, else the uncovered part at list price (never more than the
 * cost). The difference is the allowance's share of subscription_used.
 */
export function costLeftAfterAllowance(cost: number, left: Consumption, price: ModelPrice | null, covered: boolean): number {
	if (!covered || price === null) return cost;
	if (left.inputTokens === 0 && left.outputTokens === 0 && left.images === 0) return 0;
	return Math.min(cost, listCost(left, price));
}
