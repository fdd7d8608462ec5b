import type { z } from 'zod';
import { requireExternalUser } from '../../../external/users';
import { snakeKeys } from '../../../snake-keys';
import { usageLogPage } from '../../../usage/usage-log';
import type { HandlerOptions } from '../../context';
import type { logsInput } from './logs.schema';

export async function logsHandler({ ctx, input }: HandlerOptions<z.infer<typeof logsInput>>) {
	const user = await requireExternalUser(ctx.db, input.external_user_id);
	const page = await usageLogPage(ctx.db, { userId: user.id, from: input.from, to: input.to, model: input.model }, { after: input.cursor, limit: input.limit });
	return { external_user_id: input.external_user_id, records: page.rows.map(snakeKeys), next_cursor: page.nextCursor };
}
