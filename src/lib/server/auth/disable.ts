import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { invalid, notFound } from '../errors';
import { forgetKeyChecks } from './api-keys';
import { invalidateUserSessions } from './session';

/**
 * Disables or enables an account. A disabled account cannot sign in, its sessions end here and
 * its API keys answer 401 while it stays disabled (both checks read `users.disabled_at`).
 */
export async function setAccountDisabled(db: Db, actorId: number, userId: number, disabled: boolean, now = new Date()) {
	if (userId === actorId) throw invalid('cannot_disable_self');
	const row = await db.transaction(async (tx) => {
		const [row] = await tx
			.update(users)
			.set({ disabledAt: disabled ? now : null })
			.where(eq(users.id, userId))
			.returning({ id: users.id, disabledAt: users.disabledAt });
		if (row && disabled) await invalidateUserSessions(tx, userId);
		return row ?? null;
	});
	if (!row) throw notFound('user_not_found');
	// This process stops reusing the keys' last check at once; other instances within API_KEY_CACHE_SECONDS.
	forgetKeyChecks();
	return row;
}
