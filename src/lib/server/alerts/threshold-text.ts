import { unitsToCredits } from '../../money';
import { config } from '../config';

/** A currency amount typed in a form, as credits; '' is null (follow the default). */
export function thresholdFromText(text: string): { ok: true; credits: number | null } | { ok: false } {
	const value = text.trim();
	if (value === '') return { ok: true, credits: null };
	if (!/^\d{1,9}(\.\d{1,2})?$/.test(value)) return { ok: false };
	const credits = unitsToCredits(value, config().CREDITS_PER_UNIT);
	return credits === null ? { ok: false } : { ok: true, credits };
}
