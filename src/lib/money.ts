/** Money is integer credits everywhere; these helpers only convert at the edges. */
export interface MoneyConfig {
	creditsPerUnit: number;
	currency: string;
}

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', JPY: '¥', GBP: '£' };

export function currencySymbol(currency: string): string {
	return SYMBOLS[currency] ?? currency + ' ';
}

/**
 * "¥1,234.50" for 12,345,000 credits at 10,000 credits per unit; sub-cent amounts keep up to 4 decimals.
 * With `decimals`, exactly that many (rounded half away from zero), unless a non-zero amount
 * would read as zero: then it keeps its exact digits, so a tiny debt is never shown as ¥0.00.
 */
export function formatMoney(credits: number, cfg: MoneyConfig, opts: { sign?: boolean; decimals?: number } = {}): string {
	const negative = credits < 0;
	const digits = Math.max(0, Math.round(Math.log10(cfg.creditsPerUnit)));
	let abs = Math.abs(Math.round(credits));
	let fixed: number | null = null;
	if (opts.decimals !== undefined) {
		const decimals = Math.min(Math.max(0, opts.decimals), digits);
		const quantum = 10 ** (digits - decimals);
		const rounded = Math.round(abs / quantum) * quantum;
		if (rounded > 0 || abs === 0) {
			abs = rounded;
			fixed = decimals;
		}
	}
	const whole = Math.floor(abs / cfg.creditsPerUnit);
	const rest = abs - whole * cfg.creditsPerUnit;
	let frac = digits > 0 ? String(rest).padStart(digits, '0') : '';
	if (fixed !== null) frac = frac.slice(0, fixed);
	else {
		frac = frac.replace(/0+$/, '');
		if (frac.length < 2 && digits >= 2) frac = frac.padEnd(2, '0');
	}
	const wholeText = whole.toLocaleString('en-US');
	const sign = negative && abs > 0 ? '-' : opts.sign && credits > 0 ? '+' : '';
	return `${sign}${currencySymbol(cfg.currency)}${wholeText}${frac ? '.' + frac : ''}`;
}

/** An axis label: as many decimals as the tick step needs (at least 2 below one unit), the same on every tick. */
export function formatMoneyTick(credits: number, step: number, cfg: MoneyConfig): string {
	const digits = Math.max(0, Math.round(Math.log10(cfg.creditsPerUnit)));
	const decimals = step >= cfg.creditsPerUnit ? 0 : Math.min(digits, Math.max(2, digits - Math.floor(Math.log10(Math.max(1, step)))));
	return formatMoney(credits, cfg, { decimals });
}

/** Credits as a plain decimal of the currency ("-0.0075", "1234.50"), exact, for spreadsheets. */
export function unitsText(credits: number, creditsPerUnit: number): string {
	return formatMoney(credits, { creditsPerUnit, currency: '' }).replace(/^(-?)\s*/, '$1').replaceAll(',', '');
}

export function formatCredits(credits: number): string {
	return credits.toLocaleString('en-US');
}

/**
 * Exact conversion of a currency amount with at most two decimals ("99.5", 100) to credits,
 * without floating-point arithmetic. Returns null for anything else.
 */
export function unitsToCredits(amount: string | number, creditsPerUnit: number): number | null {
	const text = typeof amount === 'number' ? String(amount) : amount.trim();
	const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
	if (!match) return null;
	const whole = Number(match[1]) * creditsPerUnit;
	const cents = Number((match[2] ?? '').padEnd(2, '0'));
	const fraction = (cents * creditsPerUnit) / 100;
	if (!Number.isInteger(fraction)) return null;
	const credits = whole + fraction;
	return Number.isSafeInteger(credits) ? credits : null;
}

/** Credits as a currency number for API answers (tier_amount: 10). */
export function creditsToUnits(credits: number, creditsPerUnit: number): number {
	return credits / creditsPerUnit;
}

/**
 * Credits as an exact decimal of currency units, without floating point: every digit ("1.2345",
 * "12.5000"), or with `trim` the plain decimal an amount input expects ("12.5", "10").
 */
export function creditsAsDecimal(credits: number, creditsPerUnit: number, opts: { trim?: boolean } = {}): string {
	const sign = credits < 0 ? '-' : '';
	const abs = BigInt(Math.abs(credits));
	const cpu = BigInt(creditsPerUnit);
	const digits = String(creditsPerUnit).length - 1;
	const whole = abs / cpu;
	let frac = digits > 0 ? (abs % cpu).toString().padStart(digits, '0') : '';
	if (opts.trim) frac = frac.replace(/0+$/, '');
	return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}
