import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { createApiKey, listApiKeys, validateApiKey } from '../../src/lib/server/auth/api-keys';
import { apiKeys, usageRecords, users } from '../../src/lib/server/db/schema';
import { loadRechargeSettings } from '../../src/lib/server/recharge/settings';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { useTestDatabase } from '../helpers/db';
import { callerFor, keyCallerFor, makeUser, uniqueEmail } from '../helpers/callers';
import { balanceOfUser, counts, makeModel } from '../helpers/usage';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
let rid = 0;
const nextId = () => `scopes-${process.pid}-${rid++}`;

beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000_000, CREDIT_LIMIT: 0 }));

// Runs first, on the empty database the file starts with.
describe('demo data', () => {
	it('the demo gateway key belongs to a service account that cannot sign in', async () => {
		expect(await seedDemo(t.db)).toBe(true);
		const [row] = await t.db
			.select({ scopes: apiKeys.scopes, role: users.role, email: users.email, passwordHash: users.passwordHash })
			.from(apiKeys)
			.innerJoin(users, eq(users.id, apiKeys.userId))
			.where(eq(apiKeys.name, '演示网关 demo gateway'));
		expect(row).toMatchObject({ scopes: ['usage:write'], role: 'service', passwordHash: null });
		await expectCode(callerFor(t.db, null).auth.login({ email: row.email, password: 'tally-admin-1' }), 'UNAUTHORIZED', 'invalid_credentials');
	});
});

describe('an admin-owned usage:write key', () => {
	it('cannot adjust credits, change recharge settings, read admin lists or touch keys; nothing changes', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const target = await makeUser(t.db);
		const { caller, key } = await keyCallerFor(t.db, admin, ['usage:write']);
		const settings = await loadRechargeSettings(t.db);

		await expectCode(caller.admin.adjustCredits({ user_id: target.id, amount: 5_000_000, reason: 'free money', idempotency_key: nextId() }), 'FORBIDDEN');
		await expectCode(
			caller.recharge.admin.updateSettings({ tiers: ['1'], bonus_rate_bp: 10_000, bonus_cap: '1000', enabled: true, custom_min: '1', custom_max: '2', order_ttl_minutes: 5 }),
			'FORBIDDEN'
		);
		await expectCode(caller.keys.create({ name: 'minted', scopes: ['usage:write', 'users:sync', 'enterprises:manage'] }), 'FORBIDDEN', 'session_required');
		await expectCode(caller.keys.list(), 'FORBIDDEN', 'session_required');
		await expectCode(caller.keys.revoke({ id: key.id }), 'FORBIDDEN', 'session_required');
		await expectCode(caller.admin.users({}), 'FORBIDDEN');
		await expectCode(caller.admin.setRole({ userId: target.id, role: 'admin' }), 'FORBIDDEN');

		expect(await balanceOfUser(t.db, target.id)).toBe(1_000_000);
		expect(await loadRechargeSettings(t.db)).toEqual(settings);
		expect((await listApiKeys(t.db, admin.id)).map((k) => k.id)).toEqual([key.id]);
		const [targetRow] = await t.db.select({ role: users.role }).from(users).where(eq(users.id, target.id));
		expect(targetRow.role).toBe('user');
	});

	it('still reports usage for any user (a platform gateway)', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		const { caller } = await keyCallerFor(t.db, admin, ['usage:write']);
		const res = await caller.usage.report({ request_id: nextId(), user_id: user.id, model: model.code, input_tokens: 1, output_tokens: 1 });
		expect(res.settled).toBe(1);
		expect((await caller.usage.authorize({ user_id: user.id, model: model.code })).allowed).toBe(true);
	});

	it("does not lend the owner's admin powers to a read key: an admin's usage:read key reads only the admin's own data", async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const other = await makeUser(t.db);
		const { caller } = await keyCallerFor(t.db, admin, ['usage:read']);
		expect((await caller.usage.balance()).token_balance).toBe(1_000_000);
		expect((await caller.dashboard.records({})).user_id).toBe(admin.id);
		await expectCode(caller.dashboard.records({ user_id: other.id }), 'FORBIDDEN', 'not_your_data');
		await expectCode(caller.dashboard.platform({}), 'FORBIDDEN');
	});
});

describe('the admin scope', () => {
	it('reaches admin procedures only on an admin-owned key, and stops when the owner is demoted', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const otherAdmin = await makeUser(t.db, { role: 'admin' });
		const target = await makeUser(t.db);
		const { caller } = await keyCallerFor(t.db, admin, ['admin']);
		const adjusted = await caller.admin.adjustCredits({ user_id: target.id, amount: 7, reason: 'ops', idempotency_key: nextId() });
		expect(adjusted.balance_after).toBe(1_000_007);
		// The admin scope is not usage:read: it reaches admin procedures, not the owner's account reads.
		await expectCode(caller.usage.balance(), 'FORBIDDEN');

		await callerFor(t.db, otherAdmin).admin.setRole({ userId: admin.id, role: 'user' });
		const demoted = { ...admin, role: 'user' as const };
		const afterDemotion = callerFor(t.db, demoted, { apiKey: { id: 0, scopes: ['admin'] } });
		await expectCode(afterDemotion.admin.adjustCredits({ user_id: target.id, amount: 7, reason: 'ops', idempotency_key: nextId() }), 'FORBIDDEN');
		expect(await balanceOfUser(t.db, target.id)).toBe(1_000_007);
	});

	it('a plain user who holds an admin-scoped key (made before this rule) gets nothing from it', async () => {
		const user = await makeUser(t.db);
		const target = await makeUser(t.db);
		const { caller } = await keyCallerFor(t.db, user, ['admin', 'enterprises:manage', 'users:sync']);
		await expectCode(caller.admin.adjustCredits({ user_id: target.id, amount: 7, reason: 'x', idempotency_key: nextId() }), 'FORBIDDEN');
		await expectCode(caller.enterprises.create({ name: `g-${nextId()}` }), 'FORBIDDEN');
		expect(await balanceOfUser(t.db, target.id)).toBe(1_000_000);
	});
});

describe('creating keys', () => {
	it('refuses a scope the owner may not hold with a typed error and creates nothing', async () => {
		const user = await makeUser(t.db);
		const session = callerFor(t.db, user);
		for (const scope of ['usage:write', 'enterprises:manage', 'users:sync', 'admin'] as const) {
			await expectCode(session.keys.create({ name: 'too much', scopes: [scope] }), 'FORBIDDEN', `scope_not_allowed:${scope}`);
		}
		expect(await listApiKeys(t.db, user.id)).toEqual([]);
		const own = await session.keys.create({ name: 'my gateway', scopes: ['usage:write:own', 'usage:read'] });
		expect(own.scopes).toEqual(['usage:write:own', 'usage:read']);
	});

	it('an admin may create every scope', async () => {
		const admin = await makeUser(t.db, { role: 'admin' });
		const created = await callerFor(t.db, admin).keys.create({
			name: 'everything',
			scopes: ['usage:read', 'usage:write', 'usage:write:own', 'users:sync', 'enterprises:manage', 'admin']
		});
		expect(created.scopes).toHaveLength(6);
	});

	it('a key cannot mint a key, so revoking the key made in a session ends every use of it', async () => {
		const user = await makeUser(t.db);
		const session = callerFor(t.db, user);
		const created = await session.keys.create({ name: 'app', scopes: ['usage:read'] });
		const valid = await validateApiKey(t.db, created.key);
		expect(valid?.key.scopes).toEqual(['usage:read']);
		const byKey = callerFor(t.db, valid!.user, { apiKey: valid!.key });
		expect((await byKey.usage.balance()).token_balance).toBe(1_000_000);
		await expectCode(byKey.keys.create({ name: 'child', scopes: ['usage:read'] }), 'FORBIDDEN', 'session_required');
		expect((await listApiKeys(t.db, user.id)).map((k) => k.name)).toEqual(['app']);

		await session.keys.revoke({ id: created.id });
		// hooks.server.ts answers 401 invalid_api_key when this is null.
		expect(await validateApiKey(t.db, created.key)).toBeNull();
	});

	it('a key with no scopes can only say whose it is', async () => {
		const user = await makeUser(t.db);
		const { caller } = await keyCallerFor(t.db, user, []);
		expect((await caller.auth.me()).id).toBe(user.id);
		await expectCode(caller.usage.balance(), 'FORBIDDEN');
		await expectCode(caller.auth.changePassword({ currentPassword: 'test-pass-123', newPassword: 'other-pass-456' }), 'FORBIDDEN', 'session_required');
	});
});

describe('usage:write:own', () => {
	async function ownSetup(scopes: string[], role: 'user' | 'admin' | 'service' = 'user') {
		const owner = await makeUser(t.db, { role });
		const other = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		const { caller, key } = await keyCallerFor(t.db, owner, scopes);
		return { owner, other, model, caller, key };
	}

	it("a plain user's key reports and authorizes its owner's usage only; others are refused with nothing written", async () => {
		const { owner, other, model, caller } = await ownSetup(['usage:write:own']);
		const otherKey = await createApiKey(t.db, other.id, { name: 'theirs' });
		const before = await counts(t.db);
		const event = { model: model.code, input_tokens: 1, output_tokens: 1 };
		await expectCode(caller.usage.report({ ...event, request_id: nextId(), user_id: other.id }), 'FORBIDDEN', 'not_own_usage');
		await expectCode(caller.usage.report({ ...event, request_id: nextId(), api_key_id: otherKey.id }), 'FORBIDDEN', 'not_own_usage');
		await expectCode(caller.usage.authorize({ user_id: other.id, model: model.code }), 'FORBIDDEN', 'not_own_usage');
		expect(await counts(t.db)).toEqual(before);

		expect((await caller.usage.report({ ...event, request_id: nextId(), user_id: owner.id })).settled).toBe(1);
		expect((await caller.usage.authorize({ user_id: owner.id, model: model.code })).allowed).toBe(true);
		expect(await balanceOfUser(t.db, owner.id)).toBe(1_000_000 - 2);
	});

	it('a batch settles the owner’s events and refuses the others', async () => {
		const { owner, other, model, caller, key } = await ownSetup(['usage:write:own']);
		const otherKey = await createApiKey(t.db, other.id, { name: 'theirs' });
		const event = { model: model.code, input_tokens: 1, output_tokens: 1 };
		const ids = [nextId(), nextId(), nextId(), nextId()];
		const res = await caller.usage.report({
			events: [
				{ ...event, request_id: ids[0], user_id: owner.id },
				{ ...event, request_id: ids[1], user_id: other.id },
				{ ...event, request_id: ids[2], api_key_id: otherKey.id },
				{ ...event, request_id: ids[3], api_key_id: key.id }
			]
		});
		expect(res.results.map((r) => [r.request_id, r.status, r.reason])).toEqual([
			[ids[0], 'settled', undefined],
			[ids[1], 'rejected', 'not_own_usage'],
			[ids[2], 'rejected', 'not_own_usage'],
			[ids[3], 'settled', undefined]
		]);
		expect(res).toMatchObject({ settled: 2, rejected: 2, duplicates: 0 });
		expect(await balanceOfUser(t.db, other.id)).toBe(1_000_000);
		expect(await t.db.select().from(usageRecords).where(eq(usageRecords.userId, other.id))).toEqual([]);
	});

	it("a plain user's usage:write key (made before this rule) is limited to its owner the same way", async () => {
		const { other, model, caller } = await ownSetup(['usage:write']);
		const before = await counts(t.db);
		await expectCode(caller.usage.report({ request_id: nextId(), user_id: other.id, model: model.code, input_tokens: 1, output_tokens: 1 }), 'FORBIDDEN', 'not_own_usage');
		expect(await counts(t.db)).toEqual(before);
	});

	it('an admin or a service account may hold a self-limited key', async () => {
		for (const role of ['admin', 'service'] as const) {
			const { owner, other, model, caller } = await ownSetup(['usage:write:own'], role);
			await expectCode(caller.usage.authorize({ user_id: other.id, model: model.code }), 'FORBIDDEN', 'not_own_usage');
			expect((await caller.usage.authorize({ user_id: owner.id, model: model.code })).reason).toBeDefined();
		}
		const admin = await makeUser(t.db, { role: 'admin' });
		const created = await callerFor(t.db, admin).keys.create({ name: 'own only', scopes: ['usage:write:own'] });
		const [row] = await t.db.select({ scopes: apiKeys.scopes }).from(apiKeys).where(and(eq(apiKeys.id, created.id), eq(apiKeys.userId, admin.id)));
		expect(row.scopes).toEqual(['usage:write:own']);
	});

	it('a service-owned usage:write key bills any user', async () => {
		const { other, model, caller } = await ownSetup(['usage:write'], 'service');
		expect((await caller.usage.report({ request_id: nextId(), user_id: other.id, model: model.code, input_tokens: 1, output_tokens: 1 })).settled).toBe(1);
	});
});

describe('npm run cli -- key create', () => {
	const cli = (args: string[]) =>
		spawnSync('npx', ['tsx', 'src/lib/server/cli/index.ts', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: t.url }, timeout: 60_000 });

	it('refuses a scope the owner may not hold; a service account made by the CLI holds usage:write', async () => {
		const user = await makeUser(t.db);
		const refused = cli(['key', 'create', '--email', user.email, '--scope', 'usage:read,usage:write']);
		expect(refused.status).toBe(2);
		expect(refused.stderr).toContain('a user account may not hold usage:write');
		expect(await listApiKeys(t.db, user.id)).toEqual([]);

		const email = uniqueEmail('gw');
		expect(cli(['user', 'create', '--email', email, '--service']).status).toBe(0);
		const made = cli(['key', 'create', '--email', email, '--scope', 'usage:write']);
		expect(made.status).toBe(0);
		const secret = made.stdout.trim().split('\n').at(-1)!;
		const valid = await validateApiKey(t.db, secret);
		expect(valid).toMatchObject({ user: { email, role: 'service' }, key: { scopes: ['usage:write'] } });
		await expectCode(callerFor(t.db, null).auth.login({ email, password: 'anything-1' }), 'UNAUTHORIZED', 'invalid_credentials');
		const admin = await makeUser(t.db, { role: 'admin' });
		await expectCode(callerFor(t.db, admin).admin.setRole({ userId: valid!.user.id, role: 'admin' }), 'BAD_REQUEST', 'service_account_role');
	});
});
