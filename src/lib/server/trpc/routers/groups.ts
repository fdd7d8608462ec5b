import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
	batchEmailsInput,
	createGroupInput,
	groupIdInput,
	groupUserInput,
	reorderInput,
	reportInput,
	setAdminsInput,
	setLimitInput,
	setSuspendedInput,
	userIdInput,
	walletHistoryInput
} from '$lib/schemas/groups';
import { administersEveryGroup, requireGroupAdmin } from '../../groups/access';
import { createGroup, getGroup, groupsAdministeredBy, groupWalletHistory, listGroups, requireGroup, requireUser, setGroupAdmins } from '../../groups/groups';
import { setMemberLimit } from '../../groups/limits';
import { monthKey, monthStart } from '../../calendar';
import { adminCredit, myEnterprises } from '../../groups/overview';
import { addMember, removeMember, removeMembersByEmail, reorderGroups, setSuspended, userGroups } from '../../groups/membership';
import { groupMembers, groupReport } from '../../groups/reports';
import { authedProcedure, router, scopedProcedure } from '../init';
import { invitationProcedures } from './group-invitations';
import { removalOutput, creditGroupOutput, groupJson, groupOutput, membershipJson, membershipOutput, myEnterpriseOutput, userGroupOutput } from './groups-output';

export const groupsRouter = router({
	create: scopedProcedure('groups:manage', 'admin')
		.meta({ openapi: { method: 'POST', path: '/groups/create', tags: ['groups'], summary: 'Create an enterprise with its wallet and admins (platform admin)' } })
		.input(createGroupInput)
		.output(groupOutput)
		.mutation(async ({ ctx, input }) => {
			const group = await createGroup(ctx.db, {
				name: input.name,
				description: input.description,
				adminUserIds: input.admin_user_ids,
				adminEmails: input.admin_emails
			});
			return groupJson(group);
		}),

	setAdmins: scopedProcedure('groups:manage', 'admin')
		.input(setAdminsInput)
		.output(groupOutput)
		.mutation(async ({ ctx, input }) => groupJson(await setGroupAdmins(ctx.db, input.group_id, input.admin_emails))),

	/** Platform admins see every group; everyone else the groups they administer. */
	list: scopedProcedure('groups:manage')
		.input(z.void())
		.output(z.array(groupOutput))
		.query(async ({ ctx }) => {
			const only = administersEveryGroup(ctx.user) ? undefined : await groupsAdministeredBy(ctx.db, ctx.user.id);
			return (await listGroups(ctx.db, only)).map(groupJson);
		}),

	get: scopedProcedure('groups:manage')
		.input(groupIdInput)
		.output(groupOutput)
		.query(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			return groupJson(await getGroup(ctx.db, input.group_id));
		}),

	/** Adding by id is for the platform; a group admin invites by email instead (`invite`). */
	addUser: scopedProcedure('groups:manage', 'admin')
		.meta({ openapi: { method: 'POST', path: '/groups/id/{group_id}/add-user/{user_id}', tags: ['groups'], summary: 'Add a member (platform admin or a groups:manage key); an active member answers their existing membership' } })
		.input(groupUserInput)
		.output(membershipOutput)
		.mutation(async ({ ctx, input }) => {
			const { membership } = await addMember(ctx.db, input.group_id, input.user_id, ctx.user.id);
			return membershipJson(membership);
		}),

	removeUser: scopedProcedure('groups:manage')
		.meta({ openapi: { method: 'POST', path: '/groups/id/{group_id}/remove-user/{user_id}', tags: ['groups'], summary: 'Remove a member (soft delete); answers the now inactive membership' } })
		.input(groupUserInput)
		.output(membershipOutput)
		.mutation(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const { membership } = await removeMember(ctx.db, input.group_id, input.user_id);
			return membershipJson(membership);
		}),

	userGroups: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/groups/user/{user_id}/groups', tags: ['groups'], summary: "A user's active groups in payment order (platform admin or the user)" } })
		.input(userIdInput)
		.output(z.array(userGroupOutput))
		.query(async ({ ctx, input }) => {
			if (ctx.user.role !== 'admin' && ctx.user.id !== input.user_id) throw new TRPCError({ code: 'FORBIDDEN', message: 'not_your_groups' });
			await requireUser(ctx.db, input.user_id);
			const list = await userGroups(ctx.db, input.user_id);
			return list.map((g) => ({
				id: g.groupId,
				name: g.name,
				description: g.description,
				joined_at: g.joinedAt,
				membership_id: g.membershipId,
				priority: g.priority,
				suspended: g.suspended,
				monthly_limit: g.monthlyLimit
			}));
		}),

	adminCredit: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/groups/admin-credit', tags: ['groups'], summary: "The caller's balance, primary group and every active group's wallet" } })
		.input(z.void())
		.output(
			creditGroupOutput.omit({ id: true, name: true }).extend({
				user_credit: z.number().int(),
				admin_credit: z.number().int().nullable(),
				group_id: z.number().int().nullable(),
				group_name: z.string().nullable(),
				groups: z.array(creditGroupOutput)
			})
		)
		.query(({ ctx }) => adminCredit(ctx.db, ctx.user.id)),

	/** "My enterprises": each active group in payment order with whether it can pay now. */
	mine: scopedProcedure('usage:read')
		.input(z.void())
		.output(z.array(myEnterpriseOutput))
		.query(({ ctx }) => myEnterprises(ctx.db, ctx.user.id, new Date())),

	setSuspended: authedProcedure
		.input(setSuspendedInput)
		.output(membershipOutput)
		.mutation(async ({ ctx, input }) => {
			await requireGroup(ctx.db, input.group_id);
			return membershipJson(await setSuspended(ctx.db, ctx.user.id, input.group_id, input.suspended));
		}),

	reorder: authedProcedure
		.input(reorderInput)
		.output(z.object({ group_ids: z.array(z.number().int()) }))
		.mutation(async ({ ctx, input }) => {
			await reorderGroups(ctx.db, ctx.user.id, input.group_ids);
			return { group_ids: (await userGroups(ctx.db, ctx.user.id)).map((g) => g.groupId) };
		}),

	members: scopedProcedure('groups:manage')
		.input(groupIdInput)
		.output(
			z.array(
				z.object({
					user_id: z.number().int(),
					name: z.string(),
					email: z.string(),
					joined_at: z.date(),
					suspended: z.boolean(),
					monthly_limit: z.number().int().nullable(),
					spent_this_month: z.number().int(),
					limit_left: z.number().int().nullable()
				})
			)
		)
		.query(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const rows = await groupMembers(ctx.db, input.group_id);
			return rows.map((r) => ({
				user_id: r.userId,
				name: r.name,
				email: r.email,
				joined_at: r.joinedAt,
				suspended: r.suspended,
				monthly_limit: r.monthlyLimit,
				spent_this_month: r.spentThisMonth,
				limit_left: r.limitLeft
			}));
		}),

	...invitationProcedures,

	removeMembers: scopedProcedure('groups:manage')
		.input(batchEmailsInput)
		.output(removalOutput)
		.mutation(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const rows = await removeMembersByEmail(ctx.db, input.group_id, input.emails);
			return rows.map((r) => ({ email: r.email, status: r.status, user_id: r.userId }));
		}),

	setLimit: scopedProcedure('groups:manage')
		.input(setLimitInput)
		.output(membershipOutput)
		.mutation(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			return membershipJson(await setMemberLimit(ctx.db, input.group_id, input.user_id, input.monthly_limit));
		}),

	report: scopedProcedure('groups:manage')
		.input(reportInput)
		.output(
			z.object({
				month: z.string(),
				rows: z.array(
					z.object({
						user_id: z.number().int(),
						name: z.string(),
						email: z.string(),
						active: z.boolean(),
						requests: z.number().int(),
						input_tokens: z.number().int(),
						output_tokens: z.number().int(),
						cost: z.number().int()
					})
				)
			})
		)
		.query(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const at = input.month ? monthStart(input.month) : new Date();
			const rows = await groupReport(ctx.db, input.group_id, at);
			return {
				month: monthKey(at),
				rows: rows.map((r) => ({
					user_id: r.userId,
					name: r.name,
					email: r.email,
					active: r.active,
					requests: r.requests,
					input_tokens: r.inputTokens,
					output_tokens: r.outputTokens,
					cost: r.cost
				}))
			};
		}),

	walletHistory: scopedProcedure('groups:manage')
		.input(walletHistoryInput)
		.output(
			z.array(
				z.object({
					id: z.number().int(),
					amount: z.number().int(),
					balance_after: z.number().int(),
					kind: z.string(),
					reference: z.string().nullable(),
					memo: z.string().nullable(),
					created_at: z.date()
				})
			)
		)
		.query(async ({ ctx, input }) => {
			await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
			const rows = await groupWalletHistory(ctx.db, input.group_id, input.limit, input.before_id);
			return rows.map((r) => ({
				id: r.id,
				amount: r.amount,
				balance_after: r.balanceAfter,
				kind: r.kind,
				reference: r.reference,
				memo: r.memo,
				created_at: r.createdAt
			}));
		})
});
