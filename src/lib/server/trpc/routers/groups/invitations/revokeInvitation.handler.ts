import type { z } from 'zod';
import { requireGroupAdmin } from '../../../../groups/access';
import { revokeInvitation } from '../../../../groups/invitations';
import type { HandlerOptions } from '../../../context';
import type { revokeInvitationInput } from './revokeInvitation.schema';

export async function revokeInvitationHandler({ ctx, input }: HandlerOptions<z.infer<typeof revokeInvitationInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	await revokeInvitation(ctx.db, input.group_id, input.invitation_id);
	return { ok: true };
}
