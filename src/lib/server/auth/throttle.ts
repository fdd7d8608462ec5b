import { and, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { loginAttempts } from '../db/schema';

// Kept in the database so every app instance behind the load balancer sees the same counts.
const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_IP = 20;

export interface ThrottleVerdict {
	allowed: boolean;
	retryAfterSeconds: number;
}

async function failuresSince(db: DbOrTx, subject: string, since: Date) {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${loginAttempts.attemptedAt})` })
		.from(loginAttempts)
		.where(and(eq(loginAttempts.subject, subject), eq(loginAttempts.succeeded, 0), gt(loginAttempts.attemptedAt, since)));
	return { n: row.n, oldest: row.oldest ? new Date(row.oldest) : null };
}

export async function checkLoginThrottle(db: DbOrTx, email: string, ip: string, now = new Date()): Promise<ThrottleVerdict> {
	const since = new Date(now.getTime() - WINDOW_MS);
	const [account, address] = await Promise.all([
		failuresSince(db, `email:${email}`, since),
		failuresSince(db, `ip:${ip}`, since)
	]);
	const blockedBy =
		account.n >= MAX_FAILURES_PER_ACCOUNT ? account : address.n >= MAX_FAILURES_PER_IP ? address : null;
	if (!blockedBy) return { allowed: true, retryAfterSeconds: 0 };
	const until = (blockedBy.oldest ?? now).getTime() + WINDOW_MS;
	return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

export async function recordLoginAttempt(db: DbOrTx, email: string, ip: string, succeeded: boolean): Promise<void> {
	if (succeeded) {
		// A successful sign-in clears the account's failures, not the address's.
		await db.delete(loginAttempts).where(eq(loginAttempts.subject, `email:${email}`));
		return;
	}
	await db.insert(loginAttempts).values([
		{ subject: `email:${email}`, succeeded: 0 },
		{ subject: `ip:${ip}`, succeeded: 0 }
	]);
}
