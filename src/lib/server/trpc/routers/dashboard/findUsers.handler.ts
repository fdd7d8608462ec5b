import type { z } from 'zod';
import { searchUsers } from '../../../auth/user-directory';
import type { HandlerOptions } from '../../context';
import type { findUsersInput } from './findUsers.schema';

export async function findUsersHandler({ ctx, input }: HandlerOptions<z.infer<typeof findUsersInput>>) {
	return (await searchUsers(ctx.db, input.q, 20)).map((u) => ({ id: u.id, name: u.name, email: u.email }));
}
