import type { LayoutServerLoad } from './$types';
import { config } from '$lib/server/config';

export const load: LayoutServerLoad = ({ locals }) => {
	const { CREDITS_PER_UNIT, CURRENCY } = config();
	return {
		locale: locals.locale,
		user: locals.user,
		money: { creditsPerUnit: CREDITS_PER_UNIT, currency: CURRENCY }
	};
};
