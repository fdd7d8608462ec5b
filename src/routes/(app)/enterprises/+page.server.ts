import { fail } from '@sveltejs/kit';
import { strictInt } from '$lib/schemas/text-input';
import type { Actions, PageServerLoad } from './$types';
import { formCall } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [mine, administered, invitations] = await Promise.all([caller.enterprises.mine(), caller.enterprises.list(), caller.enterprises.myInvitations()]);
	return { mine, invitations, administered: event.locals.user?.role === 'admin' ? [] : administered };
};

export const actions: Actions = {
	accept: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).enterprises.acceptInvitation({ invitation_id: strictInt(form.get('invitation_id')) }));
		return result.ok ? { saved: true } : result.failure;
	},
	decline: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).enterprises.declineInvitation({ invitation_id: strictInt(form.get('invitation_id')) }));
		return result.ok ? { saved: true } : result.failure;
	},
	suspend: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() =>
			serverCaller(event).enterprises.setSuspended({ enterprise_id: strictInt(form.get('enterprise_id')), suspended: form.get('suspended') === 'true' })
		);
		return result.ok ? { saved: true } : result.failure;
	},
	move: async (event) => {
		const form = await event.request.formData();
		const enterpriseId = strictInt(form.get('enterprise_id'));
		const step = form.get('direction') === 'up' ? -1 : 1;
		const caller = serverCaller(event);
		const order = (await caller.enterprises.mine()).map((g) => g.id);
		const from = order.indexOf(enterpriseId);
		const to = from + step;
		if (from === -1 || to < 0 || to >= order.length) return fail(400, { message: 'order_mismatch' });
		[order[from], order[to]] = [order[to], order[from]];
		const result = await formCall(() => caller.enterprises.reorder({ enterprise_ids: order }));
		return result.ok ? { saved: true } : result.failure;
	}
};
