import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../../src/lib/server/db/client';
import { createUser } from '../../src/lib/server/auth/accounts';
import type { AuthedKey, Context, SessionUser } from '../../src/lib/server/trpc/context';
import { createCaller } from '../../src/lib/server/trpc/root';

let seq = 0;

export function uniqueEmail(prefix = 'user'): string {
	return `${prefix}-${process.pid}-${Date.now()}-${seq++}@test.local`;
}

export async function makeUser(db: Db, opts: { role?: 'user' | 'admin'; name?: string; email?: string } = {}) {
	return createUser(db, {
		email: opts.email ?? uniqueEmail(opts.role ?? 'user'),
		name: opts.name ?? 'Test User',
		password: 'test-pass-123',
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
	opts: { apiKey?: AuthedKey | null; sessionId?: string | null; ip?: string; jar?: CookieJar } = {}
): Context {
	return {
		db,
		user,
		sessionId: opts.sessionId ?? null,
		apiKey: opts.apiKey ?? null,
		ip: opts.ip ?? '127.0.0.1',
		cookies: opts.jar?.cookies ?? null,
		secureCookies: false
	};
}

export function callerFor(db: Db, user: SessionUser | null, opts: Parameters<typeof contextFor>[2] = {}) {
	return createCaller(contextFor(db, user, opts));
}
