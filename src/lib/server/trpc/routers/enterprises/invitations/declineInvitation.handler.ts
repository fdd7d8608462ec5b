import type { z } from 'zod';
import { answerInvitation } from '../../../../enterprises/invitations';
import type { HandlerOptions } from '../../../context';
import type { declineInvitationInput } from './declineInvitation.schema';

export async function declineInvitationHandler({ ctx, input }: HandlerOptions<z.infer<typeof declineInvitationInput>>) {
	await answerInvitation(ctx.db, ctx.user.id, input.invitation_id, 'decline');
	return { ok: true };
}
