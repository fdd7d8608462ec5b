import { z } from 'zod';
import { rowId } from '$lib/schemas/fields';
import type { adminCredit } from '../../../enterprises/overview';
import { membershipOutput } from './output';

/*
 * Requirement doc multi-group-credit-deduction calls an enterprise a "group" on the wire, and gateways built on it
 * call its four REST routes by those names: /groups/id/{group_id}/add-user/{user_id}, …/remove-user/…,
 * /groups/user/{user_id}/groups and /groups/admin-credit. Those routes (addUser, removeUser, userEnterprises,
 * adminCredit) keep the paths, the path parameter `group_id` and the answer fields `group_id`, `group_name`,
 * `groups`; the names are translated here and nowhere else.
 */

export const seedMemberInput = z.object({ group_id: rowId, user_id: rowId });

export const seedMembershipOutput = membershipOutput.omit({ enterprise_id: true }).extend({ group_id: z.number().int() });

export function toSeedMembership<T extends { enterprise_id: number }>({ enterprise_id, ...rest }: T) {
	return { ...rest, group_id: enterprise_id };
}

const creditEnterpriseOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	admin_id: z.number().int().nullable(),
	admin_name: z.string().nullable(),
	admin_credit: z.number().int()
});

/** The top-level admin and enterprise fields describe the primary (earliest-joined) enterprise. */
export const seedAdminCreditOutput = creditEnterpriseOutput.omit({ id: true, name: true }).extend({
	user_credit: z.number().int(),
	admin_credit: z.number().int().nullable(),
	group_id: z.number().int().nullable(),
	group_name: z.string().nullable(),
	groups: z.array(creditEnterpriseOutput)
});

export function toSeedAdminCredit(answer: Awaited<ReturnType<typeof adminCredit>>) {
	const { enterprise_id, enterprise_name, enterprises, ...rest } = answer;
	return { ...rest, group_id: enterprise_id, group_name: enterprise_name, groups: enterprises };
}
