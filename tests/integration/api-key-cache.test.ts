import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { createApiKey, revokeApiKey, validateApiKey } from '../../src/lib/server/auth/api-keys';
import { apiKeys } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';

const t = useTestDatabase();
const BOUND_SECONDS = 5;
beforeAll(() => overrideConfig({ API_KEY_CACHE_SECONDS: BOUND_SECONDS }));

const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

describe('API key checks reused for a bounded time', () => {
	it('a key revoked by another process stops working within API_KEY_CACHE_SECONDS', async () => {
		const owner = await makeUser(t.db, { role: 'service' });
		const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] });
		const start = new Date();
		expect(await validateApiKey(t.db, key.key, start)).not.toBeNull();
		// Another app process revokes it: only the database changes here.
		await t.db.update(apiKeys).set({ revokedAt: start }).where(eq(apiKeys.id, key.id));
		expect(await validateApiKey(t.db, key.key, at(start, BOUND_SECONDS * 1000))).toBeNull();
	});

	it('a key revoked by this process stops working at once', async () => {
		const owner = await makeUser(t.db, { role: 'service' });
		const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] });
		const start = new Date();
		expect(await validateApiKey(t.db, key.key, start)).not.toBeNull();
		expect(await revokeApiKey(t.db, owner.id, key.id)).toBe(true);
		expect(await validateApiKey(t.db, key.key, at(start, 1))).toBeNull();
	});

	it('an expired key stops at its expiry instant even while its check is reused', async () => {
		const owner = await makeUser(t.db, { role: 'service' });
		const start = new Date();
		const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'], expiresAt: at(start, 1_000) });
		expect(await validateApiKey(t.db, key.key, start)).not.toBeNull();
		expect(await validateApiKey(t.db, key.key, at(start, 1_000))).toBeNull();
	});

	it('a burst of requests that finds the check stale reads the key once, and each request is answered', async () => {
		const owner = await makeUser(t.db, { role: 'service' });
		const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] });
		let reads = 0;
		// The database as validateApiKey sees it, counting the queries it starts.
		const counted = new Proxy(t.db, {
			get(target, property, receiver) {
				if (property === 'select') reads++;
				return Reflect.get(target, property, receiver);
			}
		});
		const start = new Date();
		expect(await validateApiKey(counted, key.key, start)).not.toBeNull();
		expect(reads).toBe(1);
		const stale = at(start, BOUND_SECONDS * 1000);
		const answers = await Promise.all(Array.from({ length: 50 }, () => validateApiKey(counted, key.key, stale)));
		expect(answers.every((a) => a?.key.id === key.id && a.user.id === owner.id)).toBe(true);
		expect(reads).toBe(2);
		// Revoked by another process meanwhile: the next burst after the bound reads it once and stops.
		await t.db.update(apiKeys).set({ revokedAt: stale }).where(eq(apiKeys.id, key.id));
		const later = await Promise.all(Array.from({ length: 50 }, () => validateApiKey(counted, key.key, at(stale, BOUND_SECONDS * 1000))));
		expect(later.every((a) => a === null)).toBe(true);
		expect(reads).toBe(3);
	});

	it('with API_KEY_CACHE_SECONDS=0 every check reads the database', async () => {
		overrideConfig({ API_KEY_CACHE_SECONDS: 0 });
		try {
			const owner = await makeUser(t.db, { role: 'service' });
			const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] });
			const start = new Date();
			expect(await validateApiKey(t.db, key.key, start)).not.toBeNull();
			await t.db.update(apiKeys).set({ revokedAt: start }).where(eq(apiKeys.id, key.id));
			expect(await validateApiKey(t.db, key.key, at(start, 1))).toBeNull();
		} finally {
			overrideConfig({ API_KEY_CACHE_SECONDS: BOUND_SECONDS });
		}
	});
});
