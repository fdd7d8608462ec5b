import { z } from 'zod';
import { batchEmailsInput, groupIdInput, invitationIdInput, revokeInvitationInput } from '$lib/schemas/groups';
import { requireGroupAdmin } from '../../groups/access';
import { answerInvitation, groupInvitationList, inviteByEmail, myInvitations, revokeInvitation, signupPath } from '../../groups/invitations';
import { authedProcedure } from '../init';
import { membershipJson, membershipOutput } from './groups-output';

const okOutput = z.object({ ok: z.boolean() });

/** A group admin's way to add people: an invitation each person accepts or declines. */
export const invitationProcedures = {
	invite: authedProcedure
		.input(batchEmailsInput)
		.output(
			z.array(
				z.object({
					email: z.string(),
					status: z.enum(['invited', 'already_member', 'already_invited', 'signup_link', 'invalid']),
					/** Only with `signup_link`: the registration path carrying the invitation token (shown once). */
					signup_path: z.string().nullable()
				})
			)
		)
		.mutation(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const rows = await inviteByEmail(ctx.db, input.group_id, input.emails, ctx.user.id);
			return rows.map((r) => ({ email: r.email, status: r.status, signup_path: r.signupToken === null ? null : signupPath(r.signupToken) }));
		}),

	/** Open invitations as the admin typed them: email and state only. */
	invitations: authedProcedure
		.input(groupIdInput)
		.output(
			z.array(
				z.object({
					id: z.number().int(),
					email: z.string(),
					status: z.enum(['pending', 'expired']),
					created_at: z.date(),
					expires_at: z.date()
				})
			)
		)
		.query(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const rows = await groupInvitationList(ctx.db, input.group_id);
			return rows.map((r) => ({ id: r.id, email: r.email, status: r.status, created_at: r.createdAt, expires_at: r.expiresAt }));
		}),

	revokeInvitation: authedProcedure
		.input(revokeInvitationInput)
		.output(okOutput)
		.mutation(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			await revokeInvitation(ctx.db, input.group_id, input.invitation_id);
			return { ok: true };
		}),

	myInvitations: authedProcedure
		.input(z.void())
		.output(
			z.array(
				z.object({
					id: z.number().int(),
					group_id: z.number().int(),
					group_name: z.string(),
					group_description: z.string(),
					invited_by_name: z.string().nullable(),
					expires_at: z.date()
				})
			)
		)
		.query(async ({ ctx }) => {
			const rows = await myInvitations(ctx.db, ctx.user.id);
			return rows.map((r) => ({
				id: r.id,
				group_id: r.groupId,
				group_name: r.groupName,
				group_description: r.groupDescription,
				invited_by_name: r.invitedByName,
				expires_at: r.expiresAt
			}));
		}),

	acceptInvitation: authedProcedure
		.input(invitationIdInput)
		.output(membershipOutput)
		.mutation(async ({ ctx, input }) => {
			const { membership } = await answerInvitation(ctx.db, ctx.user.id, input.invitation_id, 'accept');
			return membershipJson(membership!);
		}),

	declineInvitation: authedProcedure
		.input(invitationIdInput)
		.output(okOutput)
		.mutation(async ({ ctx, input }) => {
			await answerInvitation(ctx.db, ctx.user.id, input.invitation_id, 'decline');
			return { ok: true };
		})
};
