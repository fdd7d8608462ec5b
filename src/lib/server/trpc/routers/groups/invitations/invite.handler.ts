import type { z } from 'zod';
import { requireGroupAdmin } from '../../../../groups/access';
import { inviteByEmail, signupPath } from '../../../../groups/invitations';
import type { HandlerOptions } from '../../../context';
import type { inviteInput } from './invite.schema';

/** A group admin's way to add people: an invitation each person accepts or declines. */
export async function inviteHandler({ ctx, input }: HandlerOptions<z.infer<typeof inviteInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	const rows = await inviteByEmail(ctx.db, input.group_id, input.emails, ctx.user.id);
	return rows.map((r) => ({ email: r.email, status: r.status, signup_path: r.signupToken === null ? null : signupPath(r.signupToken) }));
}
