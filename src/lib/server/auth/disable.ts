import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { invalidateUserSessions } from './session';

/**
 * Disables or enables an account. A disabled account cannot sign in, its sessions end here and
 * its API keys answer 401 while it stays disabled (both checks read `users.disabled_at`).
 */
export async function setAccountDisabled(db: Db, userId: number, disabled: boolean, now = new Date()) {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.update(users)
			.set({ disabledAt: disabled ? now : null })
			.where(eq(users.id, userId))
			.returning({ id: users.id, disabledAt: users.disabledAt });
		if (row && disabled) await invalidateUserSessions(tx, userId);
		return row ?? null;
	});
}
