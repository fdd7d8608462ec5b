import { createHash } from 'node:crypto';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { loginAttempts } from '../db/schema';

// Kept in the database so every app instance behind the load balancer sees the same counts.
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_IP = 20;
const REGISTRATION_WINDOW_MS = 60 * 60 * 1000;

interface Limit {
	subject: string;
	max: number;
	windowMs: number;
}

export type ThrottleVerdict =
	| { allowed: true; attemptIds: number[] }
	| { allowed: false; retryAfterSeconds: number };

function lockKey(subject: string): bigint {
	return createHash('sha256').update(subject).digest().readBigInt64BE(0);
}

/**
 * Counts the attempt before it is made: under a lock per subject, refuses when any limit is
 * reached, otherwise records the attempt. Parallel attempts therefore cannot all pass the check.
 */
async function reserveAttempt(db: DbOrTx, limits: Limit[], now: Date): Promise<ThrottleVerdict> {
	return db.transaction(async (tx) => {
		// One order for every caller, so two attempts sharing subjects never deadlock.
		const keys = [...new Set(limits.map((l) => lockKey(l.subject)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`);
		for (const limit of limits) {
			const since = new Date(now.getTime() - limit.windowMs);
			const [row] = await tx
				.select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${loginAttempts.attemptedAt})` })
				.from(loginAttempts)
				.where(and(eq(loginAttempts.subject, limit.subject), eq(loginAttempts.succeeded, 0), gt(loginAttempts.attemptedAt, since)));
			if (row.n >= limit.max) {
				const until = (row.oldest ? new Date(row.oldest) : now).getTime() + limit.windowMs;
				return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
			}
		}
		const inserted = await tx
			.insert(loginAttempts)
			.values(limits.map((l) => ({ subject: l.subject, succeeded: 0, attemptedAt: now })))
			.returning({ id: loginAttempts.id });
		return { allowed: true as const, attemptIds: inserted.map((r) => r.id) };
	});
}

/** A sign-in attempt counts as a failure for the account and the address until it succeeds. */
export function reserveLoginAttempt(db: DbOrTx, email: string, ip: string, now = new Date()): Promise<ThrottleVerdict> {
	return reserveAttempt(
		db,
		[
			{ subject: `email:${email}`, max: MAX_FAILURES_PER_ACCOUNT, windowMs: LOGIN_WINDOW_MS },
			{ subject: `ip:${ip}`, max: MAX_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS }
		],
		now
	);
}

/** A successful sign-in clears the account's failures and takes back this attempt from the address. */
export async function recordLoginSuccess(db: DbOrTx, email: string, attemptIds: number[]): Promise<void> {
	await db.delete(loginAttempts).where(eq(loginAttempts.subject, `email:${email}`));
	if (attemptIds.length) await db.delete(loginAttempts).where(inArray(loginAttempts.id, attemptIds));
}

/** Every registration attempt from an address counts for an hour, whatever its outcome. */
export function reserveRegistration(db: DbOrTx, ip: string, maxPerHour: number, now = new Date()): Promise<ThrottleVerdict> {
	return reserveAttempt(db, [{ subject: `register:${ip}`, max: maxPerHour, windowMs: REGISTRATION_WINDOW_MS }], now);
}

const REDEMPTION_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILED_REDEMPTIONS_PER_USER = 10;
export const MAX_FAILED_REDEMPTIONS_PER_IP = 50;

/** Guessing redemption codes: every attempt counts as a failure for the account and the address until it succeeds. */
export function reserveRedemptionAttempt(db: DbOrTx, userId: number, ip: string, now = new Date()): Promise<ThrottleVerdict> {
	return reserveAttempt(
		db,
		[
			{ subject: `redeem:user:${userId}`, max: MAX_FAILED_REDEMPTIONS_PER_USER, windowMs: REDEMPTION_WINDOW_MS },
			{ subject: `redeem:ip:${ip}`, max: MAX_FAILED_REDEMPTIONS_PER_IP, windowMs: REDEMPTION_WINDOW_MS }
		],
		now
	);
}

/** A successful attempt is not a guess: takes its records back. */
export async function forgetAttempts(db: DbOrTx, attemptIds: number[]): Promise<void> {
	if (attemptIds.length) await db.delete(loginAttempts).where(inArray(loginAttempts.id, attemptIds));
}
