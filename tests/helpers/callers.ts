import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../../src/lib/server/db/client';
import { createUser } from '../../src/lib/server/auth/accounts';
import { generateKeySecret, hashKey } from '../../src/lib/server/auth/api-keys';
import { apiKeys } from '../../src/lib/server/db/schema';
import type { AuthedKey, SessionUser } from '../../src/lib/server/auth/identity';
import type { Context } from '../../src/lib/server/trpc/context';
import { createCaller } from '../../src/lib/server/trpc/root';

let seq = 0;

export function uniqueEmail(prefix = 'user'): string {
	return `${prefix}-${process.pid}-${Date.now()}-${seq++}@test.local`;
}

/** A service account has no password (it cannot sign in); the others sign in with 'test-pass-123'. */
export async function makeUser(db: Db, opts: { role?: 'user' | 'admin' | 'service'; name?: string; email?: string } = {}) {
	return createUser(db, {
		email: opts.email ?? uniqueEmail(opts.role ?? 'user'),
		name: opts.name ?? 'Test User',
		password: opts.role === 'service' ? null : 'test-pass-123',
		role: opts.role ?? 'user'
	});
}

export class CookieJar {
	values = new Map<string, string>();
	readonly cookies = {
		get: (name: string) => this.values.get(name),
		getAll: () => [...this.values].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string, opts: { maxAge?: number }) => {
			if (opts?.maxAge === 0 || value === '') this.values.delete(name);
			else this.values.set(name, value);
		},
		delete: (name: string) => void this.values.delete(name),
		serialize: () => ''
	} as unknown as Cookies;
}

export function contextFor(
	db: Db,
	user: SessionUser | null,
	opts: { apiKey?: AuthedKey | null; sessionId?: string | null; ip?: string; jar?: CookieJar; timeZone?: string } = {}
): Context {
	return {
		db,
		user,
		sessionId: opts.sessionId ?? null,
		apiKey: opts.apiKey ?? null,
		ip: opts.ip ?? '127.0.0.1',
		cookies: opts.jar?.cookies ?? null,
		secureCookies: false,
		timeZone: opts.timeZone
	};
}

/**
 * A caller authenticated by a stored API key of `owner` holding `scopes`, as hooks.server.ts sets it
 * up. The row is written as given, so it may hold scopes its owner may not (a key made before the
 * scope rules, or by a since-demoted admin).
 */
export async function keyCallerFor(db: Db, owner: SessionUser, scopes: string[]) {
	const secret = generateKeySecret();
	const [key] = await db
		.insert(apiKeys)
		.values({ userId: owner.id, name: `test ${scopes.join(',') || 'no scopes'}`, prefix: secret.slice(0, 10), secretHash: hashKey(secret), scopes })
		.returning({ id: apiKeys.id, scopes: apiKeys.scopes });
	return { key, caller: callerFor(db, owner, { apiKey: { id: key.id, scopes: key.scopes } }) };
}

export function callerFor(db: Db, user: SessionUser | null, opts: Parameters<typeof contextFor>[2] = {}) {
	return createCaller(contextFor(db, user, opts));
}
