import { beforeAll, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { eq } from 'drizzle-orm';
import { sessions, apiKeys, wallets, ledgerEntries } from '../../src/lib/server/db/schema';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	SESSION_COOKIE,
	SESSION_TTL_MS,
	sessionIdFromToken,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { createApiKey, hashKey, revokeApiKey, validateApiKey } from '../../src/lib/server/auth/api-keys';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import { useTestDatabase } from '../helpers/db';
import { callerFor, CookieJar, makeUser, uniqueEmail } from '../helpers/callers';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
// These tests register many accounts from one address; the per-address limit is tested in auth-hardening.test.ts.
beforeAll(() => overrideConfig({ REGISTRATIONS_PER_IP_PER_HOUR: 1000 }));
const DAY = 24 * 60 * 60 * 1000;

describe('passwords', () => {
	it('hashes with argon2id and verifies only the right password', async () => {
		const hash = await hashPassword('correct horse 1');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse 1')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse 2')).toBe(false);
		expect(await verifyPassword('garbage', 'x')).toBe(false);
	});
});

describe('session lifecycle', () => {
	it('stores only the hash, validates, slides, expires and is invalidated', async () => {
		const user = await makeUser(t.db);
		const token = generateSessionToken();
		const start = new Date('2026-01-01T00:00:00Z');
		const session = await createSession(t.db, token, user.id, start);
		expect(session.id).toBe(sessionIdFromToken(token));
		expect(session.id).not.toContain(token);
		const [stored] = await t.db.select().from(sessions).where(eq(sessions.id, session.id));
		expect(stored.expiresAt.getTime()).toBe(start.getTime() + SESSION_TTL_MS);

		const early = await validateSessionToken(t.db, token, new Date(start.getTime() + 1 * DAY));
		expect(early?.user.id).toBe(user.id);
		expect(early?.expiresAt.getTime()).toBe(start.getTime() + SESSION_TTL_MS);

		const late = new Date(start.getTime() + 20 * DAY);
		const slid = await validateSessionToken(t.db, token, late);
		expect(slid?.expiresAt.getTime()).toBe(late.getTime() + SESSION_TTL_MS);

		expect(await validateSessionToken(t.db, token, new Date(late.getTime() + SESSION_TTL_MS + 1))).toBeNull();
		expect(await t.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);

		const token2 = generateSessionToken();
		const s2 = await createSession(t.db, token2, user.id);
		expect(await validateSessionToken(t.db, token2)).not.toBeNull();
		await invalidateSession(t.db, s2.id);
		expect(await validateSessionToken(t.db, token2)).toBeNull();
		expect(await validateSessionToken(t.db, 'not-a-token')).toBeNull();
	});
});

describe('api keys', () => {
	it('hashes the secret, expires, revokes and records last use', async () => {
		const user = await makeUser(t.db);
		const key = await createApiKey(t.db, user.id, { name: 'ci' });
		expect(key.key.startsWith(key.prefix)).toBe(true);
		const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
		expect(row.secretHash).toBe(hashKey(key.key));
		expect(row.secretHash).not.toContain(key.key);
		// Default expiry is one year.
		expect(Math.round((row.expiresAt!.getTime() - row.createdAt.getTime()) / DAY)).toBe(365);

		const valid = await validateApiKey(t.db, key.key);
		expect(valid?.user.id).toBe(user.id);
		const [used] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
		expect(used.lastUsedAt).not.toBeNull();

		expect(await validateApiKey(t.db, key.key, new Date(Date.now() + 366 * DAY))).toBeNull();
		expect(await validateApiKey(t.db, key.key + 'x')).toBeNull();
		expect(await revokeApiKey(t.db, user.id, key.id)).toBe(true);
		expect(await validateApiKey(t.db, key.key)).toBeNull();

		const other = await makeUser(t.db);
		const theirs = await createApiKey(t.db, other.id, { name: 'theirs' });
		expect(await revokeApiKey(t.db, user.id, theirs.id)).toBe(false);
		expect(await validateApiKey(t.db, theirs.key)).not.toBeNull();
	});
});

describe('accounts through the router', () => {
	it('registers with a normalised email, a wallet and the welcome grant, and sets the session cookie', async () => {
		const jar = new CookieJar();
		const email = uniqueEmail('Reg').toUpperCase();
		const res = await callerFor(t.db, null, { jar }).auth.register({ email: `  ${email} `, password: 'abc12345', name: 'Reg' });
		expect(res.user.email).toBe(email.toLowerCase());
		const token = jar.values.get(SESSION_COOKIE)!;
		expect((await validateSessionToken(t.db, token))?.user.id).toBe(res.user.id);
		const [wallet] = await t.db.select().from(wallets).where(eq(wallets.userId, res.user.id));
		expect(wallet.balance).toBe(1_000_000);
		const entries = await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.walletId, wallet.id));
		expect(entries.map((e) => [e.kind, e.amount])).toEqual([['welcome', 1_000_000]]);
	});

	it('refuses duplicates, weak passwords and malformed emails, creating nothing', async () => {
		const email = uniqueEmail('dup');
		await callerFor(t.db, null).auth.register({ email, password: 'abc12345', name: 'A' });
		await expect(callerFor(t.db, null).auth.register({ email, password: 'abc12345', name: 'B' })).rejects.toThrow('email_taken');
		await expectCode(callerFor(t.db, null).auth.register({ email: uniqueEmail(), password: 'short1', name: 'C' }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, null).auth.register({ email: uniqueEmail(), password: 'onlyletters', name: 'C' }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, null).auth.register({ email: 'not-an-email', password: 'abc12345', name: 'C' }), 'BAD_REQUEST');
	});

	it('signs in, answers the same error for an unknown email and a wrong password, and throttles', async () => {
		const email = uniqueEmail('login');
		await callerFor(t.db, null).auth.register({ email, password: 'abc12345', name: 'L' });
		const ok = await callerFor(t.db, null, { ip: '10.0.0.1' }).auth.login({ email, password: 'abc12345' });
		expect(ok.user.email).toBe(email);
		await expect(callerFor(t.db, null).auth.login({ email, password: 'wrong-pass1' })).rejects.toThrow('invalid_credentials');
		await expect(callerFor(t.db, null).auth.login({ email: uniqueEmail('nobody'), password: 'wrong-pass1' })).rejects.toThrow(
			'invalid_credentials'
		);
		for (let i = 0; i < 4; i++) {
			await callerFor(t.db, null, { ip: `10.1.0.${i}` }).auth.login({ email, password: 'nope12345' }).catch(() => {});
		}
		// Five failures for this account: even the right password is refused until the window passes.
		await expectCode(callerFor(t.db, null, { ip: '10.9.9.9' }).auth.login({ email, password: 'abc12345' }), 'TOO_MANY_REQUESTS');
	});

	it('throttles one address across many accounts', async () => {
		for (let i = 0; i < 20; i++) {
			await callerFor(t.db, null, { ip: '192.0.2.7' }).auth.login({ email: uniqueEmail('spray'), password: 'x1234567' }).catch(() => {});
		}
		const email = uniqueEmail('victim');
		await callerFor(t.db, null).auth.register({ email, password: 'abc12345', name: 'V' });
		await expectCode(callerFor(t.db, null, { ip: '192.0.2.7' }).auth.login({ email, password: 'abc12345' }), 'TOO_MANY_REQUESTS');
		const fine = await callerFor(t.db, null, { ip: '192.0.2.8' }).auth.login({ email, password: 'abc12345' });
		expect(fine.user.email).toBe(email);
	});

	it('changes the password and ends the other sessions', async () => {
		const email = uniqueEmail('pw');
		const jar = new CookieJar();
		const { user } = await callerFor(t.db, null, { jar }).auth.register({ email, password: 'abc12345', name: 'P' });
		const oldToken = jar.values.get(SESSION_COOKIE)!;
		await expect(
			callerFor(t.db, user, { jar }).auth.changePassword({ currentPassword: 'wrong1234', newPassword: 'new12345' })
		).rejects.toThrow('wrong_current_password');
		await callerFor(t.db, user, { jar }).auth.changePassword({ currentPassword: 'abc12345', newPassword: 'new12345' });
		expect(await validateSessionToken(t.db, oldToken)).toBeNull();
		expect(await validateSessionToken(t.db, jar.values.get(SESSION_COOKIE)!)).not.toBeNull();
		await expect(callerFor(t.db, null).auth.login({ email, password: 'abc12345' })).rejects.toThrow('invalid_credentials');
		expect((await callerFor(t.db, null).auth.login({ email, password: 'new12345' })).user.id).toBe(user.id);
	});
});
