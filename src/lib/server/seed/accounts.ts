import type { Db } from '../db/client';
import { createUser } from '../auth/accounts';

export const demoAccounts = [
	{ email: 'admin@tally.local', password: 'tally-admin-1', name: '平台管理员 Admin', role: 'admin' as const },
	{ email: 'alice@tally.local', password: 'tally-demo-1', name: 'Alice 王', role: 'user' as const },
	{ email: 'bob@tally.local', password: 'tally-demo-1', name: 'Bob 李', role: 'user' as const },
	{ email: 'carol@tally.local', password: 'tally-demo-1', name: 'Carol 张', role: 'user' as const }
];

export async function seedAccounts(db: Db): Promise<Record<string, number>> {
	const ids: Record<string, number> = {};
	for (const account of demoAccounts) {
		const user = await createUser(db, account);
		ids[account.email] = user.id;
	}
	return ids;
}
