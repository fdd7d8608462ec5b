import type { Db } from '../db/client';
import { createUser } from '../auth/accounts';

export const demoAccounts = [
	{ email: 'admin@tally.local', password: 'tally-admin-1', name: '平台管理员 Admin', role: 'admin' as const },
	{ email: 'alice@tally.local', password: 'tally-demo-1', name: 'Alice 王', role: 'user' as const },
	{ email: 'bob@tally.local', password: 'tally-demo-1', name: 'Bob 李', role: 'user' as const },
	{ email: 'carol@tally.local', password: 'tally-demo-1', name: 'Carol 张', role: 'user' as const }
];

/** Owns the demo gateway key; a service account has no password and cannot sign in. */
export const demoServiceAccount = { email: 'gateway@tally.local', password: null, name: '演示网关 Demo gateway', role: 'service' as const };

export async function seedAccounts(db: Db): Promise<Record<string, number>> {
	const ids: Record<string, number> = {};
	for (const account of [...demoAccounts, demoServiceAccount]) {
		const user = await createUser(db, account);
		ids[account.email] = user.id;
	}
	return ids;
}
