import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../../enterprises/access';
import { inviteByEmail, signupPath } from '../../../../enterprises/invitations';
import type { HandlerOptions } from '../../../context';
import type { inviteInput } from './invite.schema';

/** An enterprise admin's way to add people: an invitation each person accepts or declines. */
export async function inviteHandler({ ctx, input }: HandlerOptions<z.infer<typeof inviteInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	const rows = await inviteByEmail(ctx.db, input.enterprise_id, input.emails, ctx.user.id);
	return rows.map((r) => ({ email: r.email, status: r.status, signup_path: r.signupToken === null ? null : signupPath(r.signupToken) }));
}
