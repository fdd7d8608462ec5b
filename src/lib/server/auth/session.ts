import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { sessions, users } from '../db/schema';
import { config } from '../config';
import type { SessionUser } from './identity';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session used in its last 15 days is extended to a full 30 again. */
const SLIDE_WHEN_LEFT_MS = 15 * DAY_MS;
export const SESSION_COOKIE = 'tally_session';

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: DbOrTx, token: string, userId: number, now = new Date()) {
	const session = { id: sessionIdFromToken(token), userId, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) };
	await db.insert(sessions).values(session);
	return session;
}

export interface ValidatedSession {
	sessionId: string;
	expiresAt: Date;
	user: SessionUser;
}

export async function validateSessionToken(db: DbOrTx, token: string, now = new Date()): Promise<ValidatedSession | null> {
	const id = sessionIdFromToken(token);
	const [row] = await db
		.select({
			expiresAt: sessions.expiresAt,
			user: { id: users.id, email: users.email, name: users.name, role: users.role, locale: users.locale }
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.id, id), isNull(users.disabledAt)));
	if (!row) return null;
	if (now.getTime() >= row.expiresAt.getTime()) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let expiresAt = row.expiresAt;
	if (expiresAt.getTime() - now.getTime() < SLIDE_WHEN_LEFT_MS) {
		expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
		await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
	}
	return { sessionId: id, expiresAt, user: row.user };
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(db: DbOrTx, userId: number): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}

/**
 * Whether the browser reached us over HTTPS, which decides the cookies' `secure` flag. adapter-node
 * reports https for every request when ORIGIN is unset, so the URL alone cannot tell: ORIGIN
 * decides, else X-Forwarded-Proto when TRUST_PROXY says a proxy sets it, else plain HTTP.
 */
export function servedOverHttps(request: { headers: { get(name: string): string | null } }, origin: string | undefined, trustProxy = config().TRUST_PROXY): boolean {
	if (origin) return origin.startsWith('https:');
	if (!trustProxy) return false;
	return request.headers.get('x-forwarded-proto')?.split(',')[0].trim() === 'https';
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, secure: boolean): void {
	cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, expires: expiresAt, path: '/' });
}

export function clearSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, maxAge: 0, path: '/' });
}
