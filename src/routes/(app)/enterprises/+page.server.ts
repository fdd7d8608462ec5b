import { fail } from '@sveltejs/kit';
import { strictInt } from '$lib/schemas/text-input';
import type { Actions, PageServerLoad } from './$types';
import { formCall } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const [mine, administered, invitations] = await Promise.all([caller.groups.mine(), caller.groups.list(), caller.groups.myInvitations()]);
	return { mine, invitations, administered: event.locals.user?.role === 'admin' ? [] : administered };
};

export const actions: Actions = {
	accept: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).groups.acceptInvitation({ invitation_id: strictInt(form.get('invitation_id')) }));
		return result.ok ? { saved: true } : result.failure;
	},
	decline: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() => serverCaller(event).groups.declineInvitation({ invitation_id: strictInt(form.get('invitation_id')) }));
		return result.ok ? { saved: true } : result.failure;
	},
	suspend: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() =>
			serverCaller(event).groups.setSuspended({ group_id: strictInt(form.get('group_id')), suspended: form.get('suspended') === 'true' })
		);
		return result.ok ? { saved: true } : result.failure;
	},
	move: async (event) => {
		const form = await event.request.formData();
		const groupId = strictInt(form.get('group_id'));
		const step = form.get('direction') === 'up' ? -1 : 1;
		const caller = serverCaller(event);
		const order = (await caller.groups.mine()).map((g) => g.id);
		const from = order.indexOf(groupId);
		const to = from + step;
		if (from === -1 || to < 0 || to >= order.length) return fail(400, { message: 'order_mismatch' });
		[order[from], order[to]] = [order[to], order[from]];
		const result = await formCall(() => caller.groups.reorder({ group_ids: order }));
		return result.ok ? { saved: true } : result.failure;
	}
};
