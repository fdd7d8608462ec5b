import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';
import { loadCall, viewedUserId } from '$lib/server/loads';
import { config } from '$lib/server/config';
import { textParams } from '$lib/schemas/dashboard';
import { chartDays } from './range';

export const load: PageServerLoad = async (event) => {
	const userId = viewedUserId(event.url);
	const caller = serverCaller(event);
	const chart = chartDays(textParams(event.url, ['days']).days);
	const overview = await loadCall(() => caller.dashboard.overview({ user_id: userId, days: chart.days }));
	const viewingOther = overview.user.id !== event.locals.user!.id;
	const capacity = viewingOther ? null : await loadCall(() => caller.capacity.mine());
	const subscriptions = viewingOther ? null : await caller.plans.mine();
	return {
		overview,
		days: chart.days,
		daysInvalid: chart.invalid,
		viewingOther,
		capacity,
		subscriptions,
		timeZone: config().BILLING_TIMEZONE,
		welcome: viewingOther || overview.all_time.requests > 0 ? null : await welcome(caller)
	};
};

/** For someone who has made no call yet: the welcome grant they got, and which first steps are done. */
async function welcome(caller: ReturnType<typeof serverCaller>) {
	const [history, keys] = await Promise.all([caller.dashboard.walletHistory({ limit: 50 }), caller.keys.list()]);
	const grant = history.entries.find((e) => e.kind === 'welcome');
	return { grantCredits: grant?.amount ?? null, hasKey: keys.some((k) => k.revoked_at === null) };
}
