import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { enterpriseAdmins } from '../db/schema';
import type { SessionUser } from '../auth/identity';
import { requireEnterprise } from './enterprises';
import { forbidden } from '../errors';

/** Platform admins, and service accounts through an enterprises:manage key, administer every enterprise. */
export function administersEveryEnterprise(user: SessionUser): boolean {
	return user.role === 'admin' || user.role === 'service';
}

/** Whether the user administers this enterprise: every enterprise, or as one of its enterprise admins. */
export async function canAdministerEnterprise(db: DbOrTx, user: SessionUser, enterpriseId: number): Promise<boolean> {
	if (administersEveryEnterprise(user)) return true;
	const [row] = await db
		.select({ userId: enterpriseAdmins.userId })
		.from(enterpriseAdmins)
		.where(and(eq(enterpriseAdmins.enterpriseId, enterpriseId), eq(enterpriseAdmins.userId, user.id)));
	return row !== undefined;
}

/** Unknown enterprise → NOT_FOUND; a caller who does not administer it → FORBIDDEN. */
export async function requireEnterpriseAdmin(db: DbOrTx, user: SessionUser, enterpriseId: number): Promise<void> {
	await requireEnterprise(db, enterpriseId);
	if (!(await canAdministerEnterprise(db, user, enterpriseId))) throw forbidden('not_enterprise_admin');
}
