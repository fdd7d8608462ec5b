import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { setLocale } from '$lib/server/auth/accounts';
import { servedOverHttps } from '$lib/server/auth/session';
import { config } from '$lib/server/config';
import { safeRedirectPath } from '$lib/server/http/safe-redirect';

/** The language switch: a plain form post, so it works before any JavaScript runs. */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	if (isLocale(locale)) {
		cookies.set(LOCALE_COOKIE, locale, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: 365 * 24 * 3600, secure: servedOverHttps(request, config().ORIGIN) });
		if (locals.user) await setLocale(locals.db, locals.user.id, locale);
	}
	redirect(303, safeRedirectPath(form.get('redirectTo'), '/'));
};
