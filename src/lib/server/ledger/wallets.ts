import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { wallets } from '../db/schema';

export async function createUserWallet(tx: DbOrTx, userId: number): Promise<number> {
	const [row] = await tx
		.insert(wallets)
		.values({ ownerType: 'user', userId })
		.onConflictDoNothing({ target: wallets.userId })
		.returning({ id: wallets.id });
	if (row) return row.id;
	return userWalletId(tx, userId);
}

export async function createEnterpriseWallet(tx: DbOrTx, enterpriseId: number): Promise<number> {
	const [row] = await tx.insert(wallets).values({ ownerType: 'enterprise', enterpriseId }).returning({ id: wallets.id });
	return row.id;
}

export async function userWalletId(tx: DbOrTx, userId: number): Promise<number> {
	const [row] = await tx.select({ id: wallets.id }).from(wallets).where(eq(wallets.userId, userId));
	if (!row) throw new Error(`user ${userId} has no wallet`);
	return row.id;
}

export async function enterpriseWalletId(tx: DbOrTx, enterpriseId: number): Promise<number> {
	const [row] = await tx.select({ id: wallets.id }).from(wallets).where(eq(wallets.enterpriseId, enterpriseId));
	if (!row) throw new Error(`enterprise ${enterpriseId} has no wallet`);
	return row.id;
}

export async function walletBalance(tx: DbOrTx, walletId: number): Promise<number> {
	const [row] = await tx.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.id, walletId));
	if (!row) throw new Error(`wallet ${walletId} not found`);
	return row.balance;
}
