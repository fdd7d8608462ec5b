import { DEFAULT_OVERVIEW_DAYS, overviewInput, type OverviewDays } from '$lib/schemas/dashboard';
import { strictInt } from '$lib/schemas/text-input';
import type { RouterOutputs } from '$lib/trpc-client';

/**
 * The charts' day count from the `days` query text: the load and the page's in-place switch read it
 * alike. Text that is not an offered count falls back to the default and says so (`invalid`).
 */
export function chartDays(text: string | undefined): { days: OverviewDays; invalid: boolean } {
	if (!text) return { days: DEFAULT_OVERVIEW_DAYS, invalid: false };
	const parsed = overviewInput.shape.days.safeParse(strictInt(text));
	return parsed.success ? { days: parsed.data, invalid: false } : { days: DEFAULT_OVERVIEW_DAYS, invalid: true };
}

type Overview = RouterOutputs['dashboard']['overview'];
/** The charts the browser client fetched for another day count, kept in the history entry's state (shallow routing). */
export interface FetchedCharts {
	days: OverviewDays;
	range: Overview['range'];
	daily: Overview['daily'];
}
