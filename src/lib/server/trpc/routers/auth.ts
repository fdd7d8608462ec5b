import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { changePasswordInput, localeSchema, loginInput, registerInput } from '$lib/schemas/auth';
import { invitationTokenSchema } from '$lib/schemas/enterprises';
import { inviteCodeSchema } from '$lib/schemas/rebates';
import { recordReferral } from '../../rebates/invites';
import { attachInvitation } from '../../enterprises/invitations';
import { AccountDisabledError, authenticate, changePassword, createUser, setLocale } from '../../auth/accounts';
import {
	clearSessionCookie,
	createSession,
	generateSessionToken,
	invalidateSession,
	setSessionCookie
} from '../../auth/session';
import { loadRegistrationSettings } from '../../auth/registration-settings';
import { recordLoginSuccess, reserveLoginAttempt, reserveRegistration } from '../../auth/throttle';
import type { Context } from '../context';
import type { SessionUser } from '../../auth/identity';
import { authedProcedure, identityProcedure, publicProcedure, router } from '../init';

export const meOutput = z.object({
	id: z.number().int(),
	email: z.string(),
	name: z.string(),
	role: z.enum(['user', 'admin', 'service']),
	locale: z.enum(['zh-CN', 'en'])
});

const signedInOutput = z.object({ user: meOutput, expires_at: z.date() });

async function startSession(ctx: Context, user: SessionUser) {
	const token = generateSessionToken();
	const session = await createSession(ctx.db, token, user.id);
	if (ctx.cookies) setSessionCookie(ctx.cookies, token, session.expiresAt, ctx.secureCookies);
	return { user, expires_at: session.expiresAt };
}

export const authRouter = router({
	register: publicProcedure
		.meta({ openapi: { method: 'POST', path: '/auth/register', tags: ['auth'], summary: 'Create an account and sign in', protect: false } })
		.input(registerInput.extend({ invitation: invitationTokenSchema.optional(), invite: inviteCodeSchema.optional() }))
		.output(signedInOutput)
		.mutation(async ({ ctx, input }) => {
			const { registrationsPerIpPerHour } = await loadRegistrationSettings(ctx.db);
			const verdict = await reserveRegistration(ctx.db, ctx.ip, registrationsPerIpPerHour);
			if (!verdict.allowed) {
				throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too_many_registrations:${Math.ceil(verdict.retryAfterSeconds / 60)}` });
			}
			const user = await createUser(ctx.db, input, { firstBecomesAdmin: true });
			// Came through someone's invite link (/register?invite=…): they are recorded as the inviter.
			if (input.invite) await recordReferral(ctx.db, user.id, input.invite);
			// Registered through an enterprise's sign-up link: its invitation waits in the new account.
			if (input.invitation) await attachInvitation(ctx.db, input.invitation, user);
			return startSession(ctx, user);
		}),

	login: publicProcedure
		.meta({ openapi: { method: 'POST', path: '/auth/login', tags: ['auth'], summary: 'Sign in with email and password', protect: false } })
		.input(loginInput)
		.output(signedInOutput)
		.mutation(async ({ ctx, input }) => {
			const verdict = await reserveLoginAttempt(ctx.db, input.email, ctx.ip);
			if (!verdict.allowed) {
				throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too_many_attempts:${verdict.retryAfterSeconds}` });
			}
			const user = await authenticate(ctx.db, input.email, input.password).catch((error: unknown) => {
				if (error instanceof AccountDisabledError) throw new TRPCError({ code: 'FORBIDDEN', message: 'account_disabled' });
				throw error;
			});
			if (user) await recordLoginSuccess(ctx.db, input.email, verdict.attemptIds);
			if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'invalid_credentials' });
			return startSession(ctx, user);
		}),

	logout: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'], summary: 'End the current session' } })
		.input(z.void())
		.output(z.object({ ok: z.boolean() }))
		.mutation(async ({ ctx }) => {
			if (ctx.sessionId) await invalidateSession(ctx.db, ctx.sessionId);
			if (ctx.cookies) clearSessionCookie(ctx.cookies, ctx.secureCookies);
			return { ok: true };
		}),

	changePassword: authedProcedure.input(changePasswordInput).output(signedInOutput).mutation(async ({ ctx, input }) => {
		const ok = await changePassword(ctx.db, ctx.user.id, input.currentPassword, input.newPassword);
		if (!ok) throw new TRPCError({ code: 'BAD_REQUEST', message: 'wrong_current_password' });
		// Every session was ended; keep this browser signed in with a fresh one.
		return startSession(ctx, ctx.user);
	}),

	me: identityProcedure
		.meta({ openapi: { method: 'GET', path: '/me', tags: ['auth'], summary: 'The signed-in account' } })
		.input(z.void())
		.output(meOutput)
		.query(({ ctx }) => ctx.user),

	setLocale: authedProcedure.input(z.object({ locale: localeSchema })).output(z.object({ locale: localeSchema })).mutation(async ({ ctx, input }) => {
		await setLocale(ctx.db, ctx.user.id, input.locale);
		return { locale: input.locale };
	})
});
