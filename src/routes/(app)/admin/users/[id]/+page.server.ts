import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';
import { adjustAction } from '../../adjust-action';

export const load: PageServerLoad = async (event) => {
	const userId = strictInt(event.params.id);
	if (!Number.isInteger(userId) || userId <= 0 || userId > 2_147_483_647) error(404, 'user_not_found');
	const caller = serverCaller(event);
	const user = await caller.admin.user({ userId });
	const [usage, ledger, orders] = await Promise.all([
		caller.dashboard.records({ user_id: userId, limit: 10 }),
		caller.dashboard.walletHistory({ user_id: userId, limit: 10 }),
		caller.recharge.orders({ all: true, user_id: userId, limit: 20 })
	]);
	return { user, usage: usage.records, ledger: ledger.entries, orders, idempotencyKey: crypto.randomUUID() };
};

export const actions: Actions = { adjust: adjustAction };
