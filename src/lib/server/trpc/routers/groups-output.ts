import { z } from 'zod';
import type { GroupSummary } from '../../groups/groups';
import type { Membership } from '../../groups/membership';

/** Answer shapes of the groups router (snake_case, as the API of requirement doc multi-group-credit-deduction). */
export const membershipOutput = z.object({
	id: z.number().int(),
	user_id: z.number().int(),
	group_id: z.number().int(),
	joined_at: z.date(),
	is_active: z.boolean(),
	left_at: z.date().nullable(),
	added_by: z.number().int().nullable(),
	priority: z.number().int().nullable(),
	suspended: z.boolean(),
	monthly_limit: z.number().int().nullable()
});

export function membershipJson(m: Membership) {
	return {
		id: m.id,
		user_id: m.userId,
		group_id: m.groupId,
		joined_at: m.joinedAt,
		is_active: m.isActive,
		left_at: m.leftAt,
		added_by: m.addedBy,
		priority: m.priority,
		suspended: m.suspended,
		monthly_limit: m.monthlyLimit
	};
}

export const adminOutput = z.object({ id: z.number().int(), name: z.string(), email: z.string() });
export const groupOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	description: z.string(),
	created_at: z.date(),
	balance: z.number().int(),
	member_count: z.number().int(),
	admins: z.array(adminOutput)
});

export function groupJson(g: GroupSummary) {
	return {
		id: g.id,
		name: g.name,
		description: g.description,
		created_at: g.createdAt,
		balance: g.balance,
		member_count: g.memberCount,
		admins: g.admins
	};
}

export const creditGroupOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	admin_id: z.number().int().nullable(),
	admin_name: z.string().nullable(),
	admin_credit: z.number().int()
});

export const removalOutput = z.array(
	z.object({
		email: z.string(),
		status: z.enum(['removed', 'not_member', 'unknown_email', 'invalid_email']),
		user_id: z.number().int().nullable()
	})
);

/** One of a user's active groups, in payment order. */
const groupInOrder = z.object({
	id: z.number().int(),
	name: z.string(),
	description: z.string(),
	joined_at: z.date(),
	suspended: z.boolean(),
	monthly_limit: z.number().int().nullable()
});

export const userGroupOutput = groupInOrder.extend({
	membership_id: z.number().int(),
	priority: z.number().int().nullable()
});

export const myEnterpriseOutput = groupInOrder.extend({
	balance: z.number().int(),
	admin_name: z.string().nullable(),
	spent_this_month: z.number().int(),
	limit_left: z.number().int().nullable(),
	can_pay: z.boolean(),
	is_primary: z.boolean()
});
