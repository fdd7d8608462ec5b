import { z } from 'zod';
import { registrationSettingsInput } from '$lib/schemas/auth';
import { unitsToCredits } from '$lib/money';
import { loadRegistrationSettings, saveRegistrationSettings, type RegistrationSettings } from '../../../auth/registration-settings';
import { config } from '../../../config';
import { invalid } from '../../../errors';
import { loginTypes, roles } from '../../../db/schema';
import { searchUsers, setUserRole, userDetail } from '../../../auth/user-directory';
import { setAccountDisabled } from '../../../auth/disable';
import { rowId } from '$lib/schemas/fields';
import { adminProcedure } from '../../init';

const registrationSettingsOutput = z.object({
	welcome_credits: z.number().int().nonnegative(),
	registrations_per_ip_per_hour: z.number().int().positive()
});

const registrationView = (s: RegistrationSettings) => ({
	welcome_credits: s.welcomeCredits,
	registrations_per_ip_per_hour: s.registrationsPerIpPerHour
});

const userRowOutput = z.object({
	id: z.number().int(),
	email: z.string(),
	name: z.string(),
	role: z.enum(roles),
	externalId: z.string().nullable(),
	loginType: z.enum(loginTypes).nullable(),
	phone: z.string().nullable(),
	wechatOpenid: z.string().nullable(),
	wechatUnionid: z.string().nullable(),
	alipayUserid: z.string().nullable(),
	contactEmail: z.string().nullable(),
	createdAt: z.date(),
	disabledAt: z.date().nullable(),
	balance: z.number().int()
});

/** Accounts and sign-up settings. */
export const accountProcedures = {
	users: adminProcedure
		.input(z.object({ search: z.string().trim().max(100).optional(), limit: z.number().int().min(1).max(200).default(50) }))
		.output(z.array(userRowOutput))
		.query(({ ctx, input }) => searchUsers(ctx.db, input.search, input.limit)),

	setRole: adminProcedure
		.input(z.object({ userId: z.number().int().positive(), role: z.enum(['user', 'admin']) }))
		.output(z.object({ id: z.number().int(), role: z.enum(roles) }))
		.mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.user.id, input.userId, input.role)),

	user: adminProcedure
		.input(z.object({ userId: rowId }))
		.output(userRowOutput.pick({ id: true, email: true, name: true, role: true, externalId: true, createdAt: true, disabledAt: true, balance: true }))
		.query(({ ctx, input }) => userDetail(ctx.db, input.userId)),

	/** Disabling ends the account's sessions and stops its API keys; enabling lets it sign in again. */
	setDisabled: adminProcedure
		.input(z.object({ userId: rowId, disabled: z.boolean() }))
		.output(z.object({ id: z.number().int(), disabledAt: z.date().nullable() }))
		.mutation(({ ctx, input }) => setAccountDisabled(ctx.db, ctx.user.id, input.userId, input.disabled)),

	registrationSettings: adminProcedure
		.input(z.void())
		.output(registrationSettingsOutput)
		.query(async ({ ctx }) => registrationView(await loadRegistrationSettings(ctx.db))),

	updateRegistrationSettings: adminProcedure
		.input(registrationSettingsInput)
		.output(registrationSettingsOutput)
		.mutation(async ({ ctx, input }) => {
			const welcomeCredits = unitsToCredits(input.welcome, config().CREDITS_PER_UNIT);
			if (welcomeCredits === null) throw invalid('amount_format');
			const saved = await saveRegistrationSettings(
				ctx.db,
				{ welcomeCredits, registrationsPerIpPerHour: input.registrations_per_ip_per_hour },
				ctx.user.id
			);
			return registrationView(saved);
		})
};
