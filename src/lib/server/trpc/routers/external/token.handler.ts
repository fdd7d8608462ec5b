import type { z } from 'zod';
import { createExternalUserKey } from '../../../external/users';
import type { HandlerOptions } from '../../context';
import type { tokenInput } from './token.schema';

export async function tokenHandler({ ctx, input }: HandlerOptions<z.infer<typeof tokenInput>>) {
	const key = await createExternalUserKey(ctx.db, input.external_user_id, { name: input.name, expiresInDays: input.expires_in_days });
	return { id: key.id, name: key.name, prefix: key.prefix, key: key.key, expires_at: key.expiresAt };
}
