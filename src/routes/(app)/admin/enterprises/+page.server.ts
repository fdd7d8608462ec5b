import type { Actions, PageServerLoad } from './$types';
import { parseEmailList } from '$lib/schemas/enterprises';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';
import { strictInt } from '$lib/schemas/text-input';
import { adjustAction } from '../adjust-action';

export const load: PageServerLoad = async (event) => {
	return { enterprises: await serverCaller(event).enterprises.list(), idempotencyKey: crypto.randomUUID() };
};

export const actions: Actions = {
	adjust: adjustAction,
	create: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['name', 'description', 'admin_emails']);
		const adminEmails = parseEmailList(values.admin_emails);
		const result = await formCall(
			() => serverCaller(event).enterprises.create({ name: values.name, description: values.description, admin_emails: adminEmails }),
			values
		);
		return result.ok ? { created: result.data.name } : result.failure;
	},
	admins: async (event) => {
		const form = await event.request.formData();
		const result = await formCall(() =>
			serverCaller(event).enterprises.setAdmins({
				enterprise_id: strictInt(form.get('enterprise_id')),
				admin_emails: parseEmailList(String(form.get('admin_emails') ?? ''))
			})
		);
		return result.ok ? { saved: true } : result.failure;
	}
};
