/** Pure helpers for the server-rendered SVG charts (pixel maths only, never money maths). */

/** The smallest 1, 2, 2.5 or 5 × 10^k that is at least `max` (1 for an empty chart). */
export function niceCeiling(max: number): number {
	if (!(max > 0)) return 1;
	const magnitude = 10 ** Math.floor(Math.log10(max));
	for (const step of [1, 2, 2.5, 5, 10]) {
		const candidate = step * magnitude;
		if (candidate >= max) return candidate;
	}
	return 10 * magnitude;
}

/**
 * Axis ticks for integer values (credits, tokens): a step of 1, 2 or 5 × 10^k, never below
 * `minStep`, with at most `maxTicks` intervals above 0 covering `max`. Every tick is a whole
 * multiple of the step, so a label never needs more digits than the step has.
 */
export function niceTicks(max: number, maxTicks = 4, minStep = 1): { top: number; step: number; ticks: number[] } {
	const target = Math.max(max, minStep) / maxTicks;
	let step = minStep;
	for (let magnitude = 10 ** Math.floor(Math.log10(Math.max(target, minStep))); ; magnitude *= 10) {
		const found = [1, 2, 5, 10].map((m) => m * magnitude).find((c) => c >= target && c >= minStep);
		if (found !== undefined) {
			step = found;
			break;
		}
	}
	const count = Math.max(1, Math.ceil(max / step));
	return { top: count * step, step, ticks: Array.from({ length: count + 1 }, (_, i) => i * step) };
}

/** `count` + 1 evenly spaced ticks from 0 to `top` inclusive. */
export function ticks(top: number, count = 4): number[] {
	return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}

/** 1234 → "1.2k", 3_400_000 → "3.4M", for axis labels where space is short. */
export function shortNumber(n: number): string {
	const abs = Math.abs(n);
	const units: Array<[number, string]> = [
		[1e12, 'T'],
		[1e9, 'B'],
		[1e6, 'M'],
		[1e3, 'k']
	];
	for (const [size, suffix] of units) {
		if (abs >= size) return `${+(n / size).toFixed(abs >= size * 100 ? 0 : 1)}${suffix}`;
	}
	return String(+n.toFixed(2));
}

export interface StackSegment {
	key: string;
	value: number;
	/** Cumulative start and end of this segment within its bar. */
	from: number;
	to: number;
}

export interface StackBar {
	day: string;
	total: number;
	segments: StackSegment[];
}

export interface Stacked {
	/** Series keys, largest overall first; models past `maxSeries` are folded into OTHER. */
	keys: string[];
	bars: StackBar[];
	max: number;
}

export const OTHER = '__other__';

/** One bar per day (empty days included), each split by model, for a stacked bar chart. */
export function stackByDay<Row extends { day: string; model: string }>(
	rows: Row[],
	days: string[],
	value: (row: Row) => number,
	maxSeries = 5
): Stacked {
	const totals = new Map<string, number>();
	for (const r of rows) totals.set(r.model, (totals.get(r.model) ?? 0) + value(r));
	const ranked = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
	const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
	const keys = ranked.length > kept.length ? [...kept, OTHER] : kept;
	const keyOf = (model: string) => (kept.includes(model) ? model : OTHER);

	const perDay = new Map<string, Map<string, number>>();
	for (const r of rows) {
		const day = perDay.get(r.day) ?? new Map<string, number>();
		day.set(keyOf(r.model), (day.get(keyOf(r.model)) ?? 0) + value(r));
		perDay.set(r.day, day);
	}
	let max = 0;
	const bars = days.map((day) => {
		const values = perDay.get(day);
		let acc = 0;
		const segments: StackSegment[] = [];
		for (const key of keys) {
			const v = values?.get(key) ?? 0;
			if (v <= 0) continue;
			segments.push({ key, value: v, from: acc, to: acc + v });
			acc += v;
		}
		max = Math.max(max, acc);
		return { day, total: acc, segments };
	});
	return { keys, bars, max };
}

export const SERIES_COLORS = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ec4899', '#94a3b8'];

/** Every UTC day from `from` to `to` inclusive ('YYYY-MM-DD'), so charts show empty days too. */
export function daysBetween(from: string, to: string): string[] {
	const out: string[] = [];
	const end = Date.parse(`${to}T00:00:00Z`);
	for (let at = Date.parse(`${from}T00:00:00Z`); at <= end && out.length < 400; at += 86_400_000) {
		out.push(new Date(at).toISOString().slice(0, 10));
	}
	return out;
}
