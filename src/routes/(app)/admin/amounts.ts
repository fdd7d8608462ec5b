/**
 * Admin forms take money in currency units and turn it into credits exactly (no floating point).
 * Prices allow as many decimals as one credit has (4 at 10,000 credits per ¥), adjustments two.
 */

function decimalsOf(creditsPerUnit: number): number {
	return Math.max(0, Math.round(Math.log10(creditsPerUnit)));
}

function exactCredits(whole: string, fraction: string, creditsPerUnit: number): number | null {
	const digits = decimalsOf(creditsPerUnit);
	if (fraction.length > digits) return null;
	// fraction / 10^len × creditsPerUnit, in integers
	const scale = 10 ** fraction.length;
	const part = (Number(fraction || '0') * creditsPerUnit) / scale;
	if (!Number.isInteger(part)) return null;
	const credits = Number(whole) * creditsPerUnit + part;
	return Number.isSafeInteger(credits) ? credits : null;
}

/** "0.75" (¥ per 1M tokens) → 7,500 credits at 10,000 per ¥; null when not a plain non-negative amount or finer than a credit. */
export function priceUnitsToCredits(text: string, creditsPerUnit: number): number | null {
	const match = /^(\d{1,12})(?:\.(\d{1,12}))?$/.exec(text.trim());
	return match ? exactCredits(match[1], match[2] ?? '', creditsPerUnit) : null;
}

/** "-12.5" → -125,000 credits at 10,000 per ¥; a sign, at most two decimals; null otherwise. */
export function signedUnitsToCredits(text: string, creditsPerUnit: number): number | null {
	const match = /^([+-]?)(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/^−/, '-'));
	if (!match) return null;
	const credits = exactCredits(match[2], match[3] ?? '', creditsPerUnit);
	return credits === null ? null : match[1] === '-' ? -credits : credits;
}

/** Credits as the plain unit text the price form shows ("0.75" for 7,500). */
export function creditsAsUnitText(credits: number, creditsPerUnit: number): string {
	const digits = decimalsOf(creditsPerUnit);
	const whole = Math.floor(credits / creditsPerUnit);
	const rest = String(credits - whole * creditsPerUnit).padStart(digits, '0').replace(/0+$/, '');
	return rest ? `${whole}.${rest}` : String(whole);
}

/** "12.5" (%) → 1,250 basis points; 0–100 with at most two decimals, else null. */
export function percentToBasisPoints(text: string): number | null {
	const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
	if (!match) return null;
	const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
	return bp <= 10_000 ? bp : null;
}

/** 1,250 basis points → "12.5". */
export function basisPointsAsPercent(bp: number): string {
	const whole = Math.floor(bp / 100);
	const rest = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
	return rest ? `${whole}.${rest}` : String(whole);
}

/** A new price this many times above or below the one in force deserves a second look. */
export const PRICE_JUMP_FACTOR = 10;

export function isFarFrom(next: number, previous: number | null): boolean {
	if (previous === null || previous === 0 || next === 0) return false;
	return next >= previous * PRICE_JUMP_FACTOR || next * PRICE_JUMP_FACTOR <= previous;
}
