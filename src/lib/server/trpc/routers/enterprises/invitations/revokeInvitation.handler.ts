import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../../enterprises/access';
import { revokeInvitation } from '../../../../enterprises/invitations';
import type { HandlerOptions } from '../../../context';
import type { revokeInvitationInput } from './revokeInvitation.schema';

export async function revokeInvitationHandler({ ctx, input }: HandlerOptions<z.infer<typeof revokeInvitationInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	await revokeInvitation(ctx.db, input.enterprise_id, input.invitation_id);
	return { ok: true };
}
