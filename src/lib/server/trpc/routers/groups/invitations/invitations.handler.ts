import type { z } from 'zod';
import { requireGroupAdmin } from '../../../../groups/access';
import { groupInvitationList } from '../../../../groups/invitations';
import { snakeKeys } from '../../../../snake-keys';
import type { HandlerOptions } from '../../../context';
import type { invitationsInput } from './invitations.schema';

/** Open invitations as the admin typed them: email and state only. */
export async function invitationsHandler({ ctx, input }: HandlerOptions<z.infer<typeof invitationsInput>>) {
	await requireGroupAdmin(ctx.db, ctx.user, input.group_id);
	return (await groupInvitationList(ctx.db, input.group_id)).map(snakeKeys);
}
