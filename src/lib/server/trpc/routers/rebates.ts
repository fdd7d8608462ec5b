import { z } from 'zod';
import { inviterDisabledInput, rebateSettingsInput, topInvitersInput } from '$lib/schemas/rebates';
import { inviterOf, setRebatesDisabled } from '../../rebates/invites';
import { inviteesOf, rebateTotals, topInviters } from '../../rebates/reports';
import { loadRebateSettings, saveRebateSettings, type RebateSettings } from '../../rebates/settings';
import { adminProcedure, router, scopedProcedure } from '../init';

const settingsOutput = z.object({
	rate_bp: z.number().int().describe('basis points of the amount paid: 500 = 5%, 0 = off'),
	per_invitee_cap_credits: z.number().int().nullable(),
	monthly_cap_credits: z.number().int().nullable().describe('per inviter and UTC calendar month')
});

const settingsView = (s: RebateSettings): z.infer<typeof settingsOutput> => ({
	rate_bp: s.rateBp,
	per_invitee_cap_credits: s.perInviteeCapCredits,
	monthly_cap_credits: s.monthlyCapCredits
});

export const rebatesRouter = router({
	mine: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/invites', tags: ['invitations'], summary: 'Your invite code, invitees (emails masked), what they paid and the rebates you earned' } })
		.input(z.void())
		.output(
			z.object({
				code: z.string().describe('register at /register?invite=<code>'),
				rebates_disabled: z.boolean(),
				rate_bp: z.number().int(),
				earned_credits: z.number().int().describe('rebates kept (reversed ones not counted)'),
				reversed_credits: z.number().int(),
				written_off_credits: z.number().int().describe('of reversed rebates, what had been spent and was not taken back'),
				invitees: z.array(z.object({ email: z.string(), joined_at: z.date(), paid_credits: z.number().int(), rebate_credits: z.number().int() }))
			})
		)
		.query(async ({ ctx }) => {
			const inviter = await inviterOf(ctx.db, ctx.user.id);
			const totals = await rebateTotals(ctx.db, ctx.user.id);
			const invitees = await inviteesOf(ctx.db, ctx.user.id);
			return {
				code: inviter.code,
				rebates_disabled: inviter.rebatesDisabled,
				rate_bp: (await loadRebateSettings(ctx.db)).rateBp,
				earned_credits: totals.earnedCredits,
				reversed_credits: totals.reversedCredits,
				written_off_credits: totals.writtenOffCredits,
				invitees: invitees.map((i) => ({ email: i.maskedEmail, joined_at: i.joinedAt, paid_credits: i.paidCredits, rebate_credits: i.rebateCredits }))
			};
		}),

	settings: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/rebates/settings', tags: ['invitations'], summary: 'Rebate rate and caps' } })
		.input(z.void())
		.output(settingsOutput)
		.query(async ({ ctx }) => settingsView(await loadRebateSettings(ctx.db))),

	updateSettings: adminProcedure
		.meta({ openapi: { method: 'PUT', path: '/admin/rebates/settings', tags: ['invitations'], summary: 'Replace the rebate rate and caps' } })
		.input(rebateSettingsInput)
		.output(settingsOutput)
		.mutation(async ({ ctx, input }) =>
			settingsView(
				await saveRebateSettings(ctx.db, { rateBp: input.rate_bp, perInviteeCapCredits: input.per_invitee_cap_credits, monthlyCapCredits: input.monthly_cap_credits }, ctx.user.id)
			)
		),

	topInviters: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/rebates/inviters', tags: ['invitations'], summary: 'Inviters by rebates earned' } })
		.input(topInvitersInput)
		.output(z.array(z.object({ user_id: z.number().int(), email: z.string(), invitees: z.number().int(), paid_credits: z.number().int(), rebate_credits: z.number().int(), rebates_disabled: z.boolean() })))
		.query(async ({ ctx, input }) =>
			(await topInviters(ctx.db, input.limit)).map((r) => ({
				user_id: r.userId,
				email: r.email,
				invitees: r.invitees,
				paid_credits: r.paidCredits,
				rebate_credits: r.rebateCredits,
				rebates_disabled: r.rebatesDisabled
			}))
		),

	setDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/rebates/inviters/{user_id}/disabled', tags: ['invitations'], summary: "Switch a user's rebates off (or on again)" } })
		.input(inviterDisabledInput)
		.output(z.object({ user_id: z.number().int(), rebates_disabled: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			await setRebatesDisabled(ctx.db, input.user_id, input.disabled, ctx.user.id);
			return { user_id: input.user_id, rebates_disabled: input.disabled };
		})
});
