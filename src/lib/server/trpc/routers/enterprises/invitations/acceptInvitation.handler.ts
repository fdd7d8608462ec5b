import type { z } from 'zod';
import { answerInvitation } from '../../../../enterprises/invitations';
import { snakeKeys } from '../../../../snake-keys';
import type { HandlerOptions } from '../../../context';
import type { acceptInvitationInput } from './acceptInvitation.schema';

export async function acceptInvitationHandler({ ctx, input }: HandlerOptions<z.infer<typeof acceptInvitationInput>>) {
	const { membership } = await answerInvitation(ctx.db, ctx.user.id, input.invitation_id, 'accept');
	return snakeKeys(membership!);
}
