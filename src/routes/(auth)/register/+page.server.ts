import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { invitationTokenSchema } from '$lib/schemas/enterprises';
import { inviteCodeSchema } from '$lib/schemas/rebates';
import { loadRegistrationSettings } from '$lib/server/auth/registration-settings';
import { formCall, formValues } from '$lib/server/forms';
import { serverCaller } from '$lib/server/trpc/caller';

export const load: PageServerLoad = async ({ locals, url }) => {
	const token = invitationTokenSchema.safeParse(url.searchParams.get('invitation'));
	const invite = inviteCodeSchema.safeParse(url.searchParams.get('invite'));
	return {
		welcomeCredits: (await loadRegistrationSettings(locals.db)).welcomeCredits,
		invitation: token.success ? token.data : null,
		invite: invite.success ? invite.data : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = formValues(form, ['email', 'password', 'name']);
		// Registering through an enterprise's sign-up link carries its invitation token along.
		const invitation = form.get('invitation');
		const withInvitation = typeof invitation === 'string' && invitation !== '' ? { ...values, invitation } : values;
		// Through someone's invite link: the code goes along so they are recorded as the inviter.
		const invite = form.get('invite');
		const input = typeof invite === 'string' && invite !== '' ? { ...withInvitation, invite } : withInvitation;
		const result = await formCall(() => serverCaller(event).auth.register(input), { email: values.email, name: values.name });
		if (!result.ok) return result.failure;
		redirect(303, withInvitation === values ? '/dashboard' : '/enterprises');
	}
};
