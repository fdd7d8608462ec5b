import { randomInt } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { inviters, referrals, users } from '../db/schema';
import { notFound } from '../errors';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newInviteCode(): string {
	let out = '';
	for (let i = 0; i < 10; i++) out += ALPHABET[randomInt(ALPHABET.length)];
	return out;
}

/** The user's invite code (made on first use) and whether their rebates are switched off. */
export async function inviterOf(db: DbOrTx, userId: number): Promise<{ code: string; rebatesDisabled: boolean }> {
	for (;;) {
		const [row] = await db.select().from(inviters).where(eq(inviters.userId, userId));
		if (row) return { code: row.code, rebatesDisabled: row.rebatesDisabledAt !== null };
		// A code collision (unique index) leaves no row: try again with another code.
		await db.insert(inviters).values({ userId, code: newInviteCode() }).onConflictDoNothing();
	}
}

/**
 * Records who invited a new account: once (the invitee is the key), never oneself (a check), and
 * never changed (a trigger). An unknown code, a service account's code or a second call does nothing.
 */
export async function recordReferral(db: DbOrTx, inviteeId: number, code: string): Promise<number | null> {
	const [inviter] = await db
		.select({ userId: inviters.userId })
		.from(inviters)
		.innerJoin(users, eq(users.id, inviters.userId))
		.where(sql`${inviters.code} = ${code} and ${users.role} <> 'service'`);
	if (!inviter || inviter.userId === inviteeId) return null;
	const [row] = await db.insert(referrals).values({ inviteeId, inviterId: inviter.userId }).onConflictDoNothing().returning({ inviterId: referrals.inviterId });
	return row?.inviterId ?? null;
}

export async function inviterOfInvitee(db: DbOrTx, inviteeId: number): Promise<number | null> {
	const [row] = await db.select({ inviterId: referrals.inviterId }).from(referrals).where(eq(referrals.inviteeId, inviteeId));
	return row?.inviterId ?? null;
}

/** Switches a user's rebates off (or on again); an unknown user → user_not_found. */
export async function setRebatesDisabled(db: DbOrTx, userId: number, disabled: boolean, adminId: number): Promise<void> {
	const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
	if (!user) throw notFound('user_not_found');
	await inviterOf(db, userId);
	await db
		.update(inviters)
		.set(disabled ? { rebatesDisabledAt: sql`coalesce(${inviters.rebatesDisabledAt}, now())`, rebatesDisabledBy: adminId } : { rebatesDisabledAt: null, rebatesDisabledBy: null })
		.where(eq(inviters.userId, userId));
}
