import type { z } from 'zod';
import { requireEnterpriseAdmin } from '../../../../enterprises/access';
import { enterpriseInvitationList } from '../../../../enterprises/invitations';
import { snakeKeys } from '../../../../snake-keys';
import type { HandlerOptions } from '../../../context';
import type { invitationsInput } from './invitations.schema';

/** Open invitations as the admin typed them: email and state only. */
export async function invitationsHandler({ ctx, input }: HandlerOptions<z.infer<typeof invitationsInput>>) {
	await requireEnterpriseAdmin(ctx.db, ctx.user, input.enterprise_id);
	return (await enterpriseInvitationList(ctx.db, input.enterprise_id)).map(snakeKeys);
}
