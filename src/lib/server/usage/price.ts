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
