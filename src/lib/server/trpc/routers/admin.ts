import { TRPCError } from '@trpc/server';
import { and, asc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { registrationSettingsInput } from '$lib/schemas/auth';
import { unitsToCredits } from '$lib/money';
import { loadRegistrationSettings, saveRegistrationSettings, type RegistrationSettings } from '../../auth/registration-settings';
import { config } from '../../config';
import { users, wallets } from '../../db/schema';
import { setAccountDisabled } from '../../auth/disable';
import { rowId } from '$lib/schemas/fields';
import { adminProcedure, router } from '../init';

const registrationSettingsOutput = z.object({
	welcome_credits: z.number().int().nonnegative(),
	registrations_per_ip_per_hour: z.number().int().positive()
});

const registrationView = (s: RegistrationSettings) => ({
	welcome_credits: s.welcomeCredits,
	registrations_per_ip_per_hour: s.registrationsPerIpPerHour
});

export const adminRouter = router({
	users: adminProcedure
		.input(z.object({ search: z.string().trim().max(100).optional(), limit: z.number().int().min(1).max(200).default(50) }))
		.query(async ({ ctx, input }) => {
			const pattern = input.search ? `%${input.search.replace(/[%_\\]/g, '\\$&')}%` : null;
			return ctx.db
				.select({
					id: users.id,
					email: users.email,
					name: users.name,
					role: users.role,
					externalId: users.externalId,
					loginType: users.loginType,
					phone: users.phone,
					wechatOpenid: users.wechatOpenid,
					wechatUnionid: users.wechatUnionid,
					alipayUserid: users.alipayUserid,
					contactEmail: users.contactEmail,
					createdAt: users.createdAt,
					disabledAt: users.disabledAt,
					balance: sql<number>`coalesce(${wallets.balance}, 0)`.mapWith(Number)
				})
				.from(users)
				.leftJoin(wallets, eq(wallets.userId, users.id))
				.where(pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern), ilike(users.externalId, pattern)) : undefined)
				.orderBy(asc(users.id))
				.limit(input.limit);
		}),

	setRole: adminProcedure
		.input(z.object({ userId: z.number().int().positive(), role: z.enum(['user', 'admin']) }))
		.mutation(async ({ ctx, input }) => {
			if (input.userId === ctx.user.id && input.role !== 'admin') {
				throw new TRPCError({ code: 'BAD_REQUEST', message: 'cannot_demote_self' });
			}
			// A service account stays one: it has no password, and its keys' scopes were checked against that role.
			const [row] = await ctx.db
				.update(users)
				.set({ role: input.role })
				.where(and(eq(users.id, input.userId), ne(users.role, 'service')))
				.returning({ id: users.id, role: users.role });
			if (row) return row;
			const [existing] = await ctx.db.select({ role: users.role }).from(users).where(eq(users.id, input.userId));
			throw existing
				? new TRPCError({ code: 'BAD_REQUEST', message: 'service_account_role' })
				: new TRPCError({ code: 'NOT_FOUND', message: 'user_not_found' });
		}),

	user: adminProcedure.input(z.object({ userId: rowId })).query(async ({ ctx, input }) => {
		const [row] = await ctx.db
			.select({
				id: users.id,
				email: users.email,
				name: users.name,
				role: users.role,
				externalId: users.externalId,
				createdAt: users.createdAt,
				disabledAt: users.disabledAt,
				balance: sql<number>`coalesce(${wallets.balance}, 0)`.mapWith(Number)
			})
			.from(users)
			.leftJoin(wallets, eq(wallets.userId, users.id))
			.where(eq(users.id, input.userId));
		if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'user_not_found' });
		return row;
	}),

	/** Disabling ends the account's sessions and stops its API keys; enabling lets it sign in again. */
	setDisabled: adminProcedure.input(z.object({ userId: rowId, disabled: z.boolean() })).mutation(async ({ ctx, input }) => {
		if (input.userId === ctx.user.id) throw new TRPCError({ code: 'BAD_REQUEST', message: 'cannot_disable_self' });
		const row = await setAccountDisabled(ctx.db, input.userId, input.disabled);
		if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'user_not_found' });
		return row;
	}),

	registrationSettings: adminProcedure
		.input(z.void())
		.output(registrationSettingsOutput)
		.query(async ({ ctx }) => registrationView(await loadRegistrationSettings(ctx.db))),

	updateRegistrationSettings: adminProcedure
		.input(registrationSettingsInput)
		.output(registrationSettingsOutput)
		.mutation(async ({ ctx, input }) => {
			const welcomeCredits = unitsToCredits(input.welcome, config().CREDITS_PER_UNIT);
			if (welcomeCredits === null) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_format' });
			const saved = await saveRegistrationSettings(
				ctx.db,
				{ welcomeCredits, registrationsPerIpPerHour: input.registrations_per_ip_per_hour },
				ctx.user.id
			);
			return registrationView(saved);
		})
});
