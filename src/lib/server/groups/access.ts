import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { groupAdmins } from '../db/schema';
import type { SessionUser } from '../auth/identity';
import { requireGroup } from './groups';
import { forbidden } from '../errors';

/** Platform admins, and service accounts through a groups:manage key, administer every group. */
export function administersEveryGroup(user: SessionUser): boolean {
	return user.role === 'admin' || user.role === 'service';
}

/** Whether the user administers this group: every group, or as one of its group admins. */
export async function canAdministerGroup(db: DbOrTx, user: SessionUser, groupId: number): Promise<boolean> {
	if (administersEveryGroup(user)) return true;
	const [row] = await db
		.select({ userId: groupAdmins.userId })
		.from(groupAdmins)
		.where(and(eq(groupAdmins.groupId, groupId), eq(groupAdmins.userId, user.id)));
	return row !== undefined;
}

/** Unknown group → NOT_FOUND; a caller who does not administer it → FORBIDDEN. */
export async function requireGroupAdmin(db: DbOrTx, user: SessionUser, groupId: number): Promise<void> {
	await requireGroup(db, groupId);
	if (!(await canAdministerGroup(db, user, groupId))) throw forbidden('not_group_admin');
}
