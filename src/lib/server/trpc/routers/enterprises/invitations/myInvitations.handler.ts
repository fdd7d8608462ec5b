import { myInvitations } from '../../../../enterprises/invitations';
import { snakeKeys } from '../../../../snake-keys';
import type { HandlerOptions } from '../../../context';

export async function myInvitationsHandler({ ctx }: HandlerOptions) {
	return (await myInvitations(ctx.db, ctx.user.id)).map(snakeKeys);
}
