import type { z } from 'zod';
import { createEnterprise } from '../../../enterprises/enterprises';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';
import type { createInput } from './create.schema';

export async function createHandler({ ctx, input }: HandlerOptions<z.infer<typeof createInput>>) {
	const enterprise = await createEnterprise(ctx.db, {
		name: input.name,
		description: input.description,
		adminUserIds: input.admin_user_ids,
		adminEmails: input.admin_emails
	});
	return snakeKeys(enterprise);
}
