import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { codeBatches, creditGrants, redemptionCodes, redemptions } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { createBatch, type NewBatch } from '../../src/lib/server/codes/batches';
import { redeemCode, RedemptionError } from '../../src/lib/server/codes/redeem';
import { MAX_FAILED_REDEMPTIONS_PER_IP, MAX_FAILED_REDEMPTIONS_PER_USER } from '../../src/lib/server/auth/throttle';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { translateError } from '../../src/lib/server/i18n';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser } from '../helpers/callers';
import { restCall } from '../helpers/money';
import { balanceOfUser } from '../helpers/usage';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase(24);
let admin: SessionUser;

beforeAll(async () => {
	overrideConfig({ SEED_DEMO: false });
	admin = await makeUser(t.db, { role: 'admin' });
});

let ipSeq = 0;
const freshIp = () => `10.9.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

async function batch(patch: Partial<Omit<NewBatch, 'kind'> & { credits: number }> = {}) {
	return createBatch(t.db, admin.id, { name: 'test batch', count: 3, expiresAt: null, usesPerCode: 1, usesPerUser: 1, ...patch, kind: 'credits', credits: patch.credits ?? 50_000 });
}

async function failure(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
		return 'redeemed';
	} catch (err) {
		if (err instanceof RedemptionError) return err.reason;
		throw err;
	}
}

async function clean() {
	const report = await verifyLedger(t.db);
	expect(report.drifts).toEqual([]);
	expect(report.violations).toEqual([]);
}

describe('redemption code batches', () => {
	it('an admin makes a batch; the codes and their CSV come back once, the database keeps only hashes and prefixes', async () => {
		const made = await callerFor(t.db, admin).codes.createBatch({ name: 'Launch, "week"', credits: 10_000, count: 25 });
		expect(made.codes).toHaveLength(25);
		expect(new Set(made.codes).size).toBe(25);
		expect(made.batch).toMatchObject({ name: 'Launch, "week"', credits: 10_000, uses_per_code: 1, uses_per_user: 1, code_count: 25, uses: 0, disabled: false });
		const lines = made.csv.trim().split('\r\n');
		expect(lines[0]).toBe('code,batch_id,batch_name,credits,expires_at,uses_per_code,uses_per_user,kind,package_id,package_name');
		expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(made.codes);
		expect(lines[1]).toContain('"Launch, ""week"""');

		const stored = await t.db.select().from(redemptionCodes).where(eq(redemptionCodes.batchId, made.batch.id));
		expect(stored).toHaveLength(25);
		const dump = JSON.stringify(await t.db.execute(sql`select * from redemption_codes`));
		for (const code of made.codes) {
			expect(dump).not.toContain(code);
			expect(dump).not.toContain(code.replace(/-/g, ''));
		}
		expect(stored.map((c) => c.prefix).sort()).toEqual(made.codes.map((c) => c.slice(0, 4)).sort());
		const detail = await callerFor(t.db, admin).codes.batch({ id: made.batch.id });
		expect(detail.codes.every((c) => c.prefix.length === 4 && c.uses === 0 && c.max_uses === 1)).toBe(true);
	});

	it('refuses a batch that has already expired, or an amount that is not a whole number of credits', async () => {
		await expectCode(callerFor(t.db, admin).codes.createBatch({ name: 'x', credits: 10, count: 1, expires_at: '2020-01-01T00:00:00Z' as never }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, admin).codes.createBatch({ name: 'x', credits: 1.5, count: 1 }), 'BAD_REQUEST');
		await expectCode(callerFor(t.db, admin).codes.createBatch({ name: 'x', credits: 10, count: 0 }), 'BAD_REQUEST');
	});
});

describe('redeeming', () => {
	it('credits a grant that expires with the batch, shown in the wallet; the code is then used up', async () => {
		const expiresAt = new Date(Date.now() + 30 * 86_400_000);
		const { codes, batch: b } = await batch({ credits: 70_000, expiresAt });
		const user = await makeUser(t.db);
		const before = await balanceOfUser(t.db, user.id);
		const answer = await callerFor(t.db, user, { ip: freshIp() }).codes.redeem({ code: codes[0].toLowerCase().replace(/-/g, ' ') });
		expect(answer).toMatchObject({ credits: 70_000, batch_name: 'test batch', code_prefix: codes[0].slice(0, 4), balance_credits: before + 70_000 });
		expect(answer.expires_at?.toISOString()).toBe(expiresAt.toISOString());
		const [grant] = await t.db.select().from(creditGrants).where(eq(creditGrants.id, answer.grant_id));
		expect(grant).toMatchObject({ source: 'code', original: 70_000, remaining: 70_000 });
		expect(grant.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
		const wallet = await callerFor(t.db, user).usage.wallet({});
		expect(wallet.grants.some((g) => g.source === 'code' && g.remaining === 70_000)).toBe(true);
		expect(await callerFor(t.db, user).codes.mine({})).toMatchObject([{ code_prefix: codes[0].slice(0, 4), credits: 70_000, batch_name: 'test batch' }]);
		const other = await makeUser(t.db);
		await expectCode(callerFor(t.db, other, { ip: freshIp() }).codes.redeem({ code: codes[0] }), 'CONFLICT', 'code_used_up');
		const seen = await callerFor(t.db, admin).codes.batch({ id: b.id });
		expect(seen.redemptions).toMatchObject([{ user_id: user.id, email: user.email, credits: 70_000, code_prefix: codes[0].slice(0, 4) }]);
		expect(seen.batch.uses).toBe(1);
		await clean();
	});

	it('20 people submitting one single-use code at the same moment: exactly one is credited', async () => {
		const { codes, batch: b } = await batch({ credits: 123_456, count: 1 });
		const users = await Promise.all(Array.from({ length: 20 }, () => makeUser(t.db)));
		const before = await Promise.all(users.map((u) => balanceOfUser(t.db, u.id)));
		const outcomes = await Promise.all(users.map((u) => failure(redeemCode(t.db, u.id, codes[0], freshIp()))));
		expect(outcomes.filter((o) => o === 'redeemed')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'code_used_up')).toHaveLength(19);
		const after = await Promise.all(users.map((u) => balanceOfUser(t.db, u.id)));
		expect(after.reduce((s, x) => s + x, 0) - before.reduce((s, x) => s + x, 0)).toBe(123_456);
		expect(await t.db.select().from(redemptions).where(eq(redemptions.batchId, b.id))).toHaveLength(1);
		const [code] = await t.db.select().from(redemptionCodes).where(eq(redemptionCodes.batchId, b.id));
		expect(code.uses).toBe(1);
		await clean();
	});

	it('uses per user: one account gets at most its share of a batch, even submitting in parallel', async () => {
		const { codes } = await batch({ count: 3, usesPerCode: 10, usesPerUser: 1 });
		const user = await makeUser(t.db);
		expect(await failure(redeemCode(t.db, user.id, codes[0], freshIp()))).toBe('redeemed');
		expect(await failure(redeemCode(t.db, user.id, codes[0], freshIp()))).toBe('code_user_limit');
		expect(await failure(redeemCode(t.db, user.id, codes[1], freshIp()))).toBe('code_user_limit');
		const other = await makeUser(t.db);
		expect(await failure(redeemCode(t.db, other.id, codes[0], freshIp()))).toBe('redeemed');

		const two = await batch({ count: 4, usesPerCode: 10, usesPerUser: 2, credits: 1000 });
		const racer = await makeUser(t.db);
		const before = await balanceOfUser(t.db, racer.id);
		const outcomes = await Promise.all([...two.codes, ...two.codes].map((c) => failure(redeemCode(t.db, racer.id, c, freshIp()))));
		expect(outcomes.filter((o) => o === 'redeemed')).toHaveLength(2);
		expect(outcomes.filter((o) => o === 'code_user_limit')).toHaveLength(6);
		expect((await balanceOfUser(t.db, racer.id)) - before).toBe(2000);
		await clean();
	});

	it('a code redeems up to the instant before its expiry and not at it', async () => {
		const expiresAt = new Date(Date.now() + 3_600_000);
		const { codes } = await batch({ count: 2, expiresAt });
		const [a, b] = [await makeUser(t.db), await makeUser(t.db)];
		expect(await failure(redeemCode(t.db, a.id, codes[0], freshIp(), new Date(expiresAt.getTime() - 1)))).toBe('redeemed');
		expect(await failure(redeemCode(t.db, b.id, codes[1], freshIp(), expiresAt))).toBe('code_expired');
		expect(await failure(redeemCode(t.db, b.id, codes[1], freshIp(), new Date(expiresAt.getTime() + 86_400_000)))).toBe('code_expired');
		await clean();
	});

	it('a disabled batch or code says so and gives nothing; enabled again, it redeems', async () => {
		const { codes, batch: b } = await batch({ count: 2 });
		const user = await makeUser(t.db);
		const before = await balanceOfUser(t.db, user.id);
		await callerFor(t.db, admin).codes.setBatchDisabled({ id: b.id, disabled: true });
		await expectCode(callerFor(t.db, user, { ip: freshIp() }).codes.redeem({ code: codes[0] }), 'CONFLICT', 'code_disabled');
		expect(await balanceOfUser(t.db, user.id)).toBe(before);
		expect((await callerFor(t.db, admin).codes.batches({})).find((x) => x.id === b.id)?.disabled).toBe(true);
		await callerFor(t.db, admin).codes.setBatchDisabled({ id: b.id, disabled: false });

		const detail = await callerFor(t.db, admin).codes.batch({ id: b.id });
		const second = detail.codes.find((c) => c.prefix === codes[1].slice(0, 4))!;
		await callerFor(t.db, admin).codes.setCodeDisabled({ id: second.id, disabled: true });
		const other = await makeUser(t.db);
		await expectCode(callerFor(t.db, other, { ip: freshIp() }).codes.redeem({ code: codes[1] }), 'CONFLICT', 'code_disabled');
		expect(await failure(redeemCode(t.db, user.id, codes[0], freshIp()))).toBe('redeemed');
		await expectCode(callerFor(t.db, admin).codes.setBatchDisabled({ id: 2_000_000_000, disabled: true }), 'NOT_FOUND');
	});

	it('an unknown code is 404 code_unknown; every failure has its own message in zh-CN and en', async () => {
		const user = await makeUser(t.db);
		await expectCode(callerFor(t.db, user, { ip: freshIp() }).codes.redeem({ code: 'AAAA-BBBB-CCCC-DDDD' }), 'NOT_FOUND', 'code_unknown');
		const reasons = ['code_unknown', 'code_disabled', 'code_expired', 'code_used_up', 'code_user_limit', 'too_many_redemptions:60'];
		for (const locale of ['zh-CN', 'en'] as const) {
			const texts = reasons.map((r) => translateError(locale, r));
			for (const [i, text] of texts.entries()) expect(text, reasons[i]).not.toBe(reasons[i]);
			expect(new Set(texts).size).toBe(reasons.length);
		}
		expect(translateError('zh-CN', 'code_expired')).not.toBe(translateError('en', 'code_expired'));
	});

	it('throttles guessing per account and per address; a valid code is refused too while throttled', async () => {
		const { codes } = await batch({ count: 2 });
		const guesser = await makeUser(t.db);
		const ip = freshIp();
		for (let i = 0; i < MAX_FAILED_REDEMPTIONS_PER_USER; i++) expect(await failure(redeemCode(t.db, guesser.id, `ZZZZ-ZZZZ-ZZZZ-${String(i).padStart(4, '0')}`, ip))).toBe('code_unknown');
		expect(await failure(redeemCode(t.db, guesser.id, codes[0], freshIp()))).toBe('too_many_redemptions');
		await expectCode(callerFor(t.db, guesser, { ip: freshIp() }).codes.redeem({ code: codes[0] }), 'TOO_MANY_REQUESTS');

		// Many accounts from one address: the address is throttled for a fresh account too.
		const shared = freshIp();
		let failures = 0;
		while (failures < MAX_FAILED_REDEMPTIONS_PER_IP) {
			const u = await makeUser(t.db);
			for (let i = 0; i < MAX_FAILED_REDEMPTIONS_PER_USER && failures < MAX_FAILED_REDEMPTIONS_PER_IP; i++, failures++) {
				expect(await failure(redeemCode(t.db, u.id, `YYYY-YYYY-YYYY-${String(failures).padStart(4, '0')}`, shared))).toBe('code_unknown');
			}
		}
		const fresh = await makeUser(t.db);
		expect(await failure(redeemCode(t.db, fresh.id, codes[1], shared))).toBe('too_many_redemptions');
		expect(await failure(redeemCode(t.db, fresh.id, codes[1], freshIp()))).toBe('redeemed');
	});

	it('a success is not counted as a guess', async () => {
		const { codes } = await batch({ count: MAX_FAILED_REDEMPTIONS_PER_USER + 2, usesPerUser: 100 });
		const user = await makeUser(t.db);
		const ip = freshIp();
		for (const code of codes) expect(await failure(redeemCode(t.db, user.id, code, ip))).toBe('redeemed');
	});

	it('over REST: POST /api/v1/redemptions with a session; 404 for an unknown code; a key is refused', async () => {
		const { codes } = await batch({ count: 1, credits: 5_000 });
		const user = await makeUser(t.db);
		const ok = await restCall(t.db, 'POST', '/redemptions', user, null, { code: codes[0] });
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ credits: 5_000 });
		const unknown = await restCall(t.db, 'POST', '/redemptions', user, null, { code: 'QQQQ-QQQQ-QQQQ-QQQQ' });
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toMatchObject({ message: 'code_unknown' });
		const wrongType = await restCall(t.db, 'POST', '/redemptions', user, null, { code: 12345678 });
		expect(wrongType.status).toBe(400);
		const withKey = await restCall(t.db, 'POST', '/redemptions', user, { id: 1, scopes: ['usage:read', 'usage:write:own'] }, { code: codes[0] });
		expect(withKey.status).toBe(403);
		const list = await restCall(t.db, 'GET', '/redemptions', user, null);
		expect(await list.json()).toHaveLength(1);
		const [row] = await t.db.select({ n: sql<number>`count(*)::int` }).from(codeBatches);
		expect(row.n).toBeGreaterThan(0);
	});
});

describe('package codes', () => {
	async function pkg(patch: Partial<{ name: string; unit: 'credits' | 'tokens' | 'images'; amount: number; bonus: number; validity_days: number | null; active: boolean }> = {}) {
		return callerFor(t.db, admin).plans.createPackage({ name: 'Code pack', unit: 'tokens', amount: 5_000_000, bonus: 1_000_000, price: 300_000, validity_days: 90, ...patch });
	}

	it('an admin makes a package batch: the batch, its CSV and the list say which package it gives; bad choices are refused', async () => {
		const p = await pkg({ name: 'Pack, "five"' });
		const made = await callerFor(t.db, admin).codes.createBatch({ name: 'Pack launch', kind: 'package', package_id: p.id, count: 2 });
		expect(made.batch).toMatchObject({ kind: 'package', credits: null, package: { id: p.id, name: 'Pack, "five"', unit: 'tokens', amount: 5_000_000, bonus: 1_000_000, validity_days: 90 } });
		const lines = made.csv.trim().split('\r\n');
		expect(lines[0]).toBe('code,batch_id,batch_name,credits,expires_at,uses_per_code,uses_per_user,kind,package_id,package_name');
		expect(lines[1].endsWith(`,package,${p.id},"Pack, ""five"""`)).toBe(true);
		expect((await callerFor(t.db, admin).codes.batches({})).find((b) => b.id === made.batch.id)).toMatchObject({ kind: 'package', package: { id: p.id } });

		const asAdmin = callerFor(t.db, admin).codes;
		await expectCode(asAdmin.createBatch({ name: 'x', kind: 'package', count: 1 }), 'BAD_REQUEST');
		await expectCode(asAdmin.createBatch({ name: 'x', kind: 'package', package_id: p.id, credits: 10, count: 1 }), 'BAD_REQUEST');
		await expectCode(asAdmin.createBatch({ name: 'x', kind: 'credits', package_id: p.id, count: 1 }), 'BAD_REQUEST');
		await expectCode(asAdmin.createBatch({ name: 'x', kind: 'package', package_id: 2_000_000_000, count: 1 }), 'NOT_FOUND', 'package_not_found');
		const off = await pkg({ active: false });
		await expectCode(asAdmin.createBatch({ name: 'x', kind: 'package', package_id: off.id, count: 1 }), 'BAD_REQUEST', 'package_inactive');
	});

	it('redeeming activates the package like a purchase: two grants valid for its days, shown in the answer, the wallet and both lists', async () => {
		const p = await pkg();
		const { codes, batch: b } = await createBatch(t.db, admin.id, { name: 'Pack batch', kind: 'package', packageId: p.id, count: 1, expiresAt: null, usesPerCode: 1, usesPerUser: 1 });
		const user = await makeUser(t.db);
		const before = await balanceOfUser(t.db, user.id);
		const now = Date.now();
		const answer = await callerFor(t.db, user, { ip: freshIp() }).codes.redeem({ code: codes[0] });
		expect(answer).toMatchObject({ kind: 'package', credits: 0, balance_credits: before, package: { id: p.id, name: 'Code pack', unit: 'tokens', amount: 5_000_000, bonus: 1_000_000, validity_days: 90 } });
		expect(answer.grants.map((g) => [g.unit, g.amount, g.bonus])).toEqual([
			['tokens', 5_000_000, false],
			['tokens', 1_000_000, true]
		]);
		const expiry = answer.expires_at!.getTime();
		expect(expiry).toBeGreaterThanOrEqual(now + 90 * 86_400_000 - 60_000);
		expect(expiry).toBeLessThanOrEqual(Date.now() + 90 * 86_400_000);
		const grants = await t.db.select().from(creditGrants).where(sql`${creditGrants.id} in (${sql.join(answer.grants.map((g) => sql`${g.grant_id}`), sql`, `)})`);
		expect(grants.map((g) => [g.source, g.unit, g.original, g.remaining, g.expiresAt?.getTime()]).sort()).toEqual(
			[
				['package', 'tokens', 1_000_000, 1_000_000, expiry],
				['package', 'tokens', 5_000_000, 5_000_000, expiry]
			].sort()
		);
		expect(answer.grant_id).toBe(answer.grants[0].grant_id);
		const wallet = await callerFor(t.db, user).usage.wallet({});
		expect(wallet.grants.filter((g) => g.source === 'package').map((g) => g.remaining).sort()).toEqual([1_000_000, 5_000_000]);
		expect(await callerFor(t.db, user).codes.mine({})).toMatchObject([{ kind: 'package', package_name: 'Code pack', credits: 0 }]);
		const seen = await callerFor(t.db, admin).codes.batch({ id: b.id });
		expect(seen.redemptions).toMatchObject([{ user_id: user.id, kind: 'package', package_name: 'Code pack', credits: 0 }]);
		await clean();
	});

	it('a package of credits adds amount + bonus to the balance, each use once (a code of two uses: two activations)', async () => {
		const p = await pkg({ unit: 'credits', amount: 40_000, bonus: 2_000, validity_days: null });
		const { codes } = await createBatch(t.db, admin.id, { name: 'Credit pack', kind: 'package', packageId: p.id, count: 1, expiresAt: null, usesPerCode: 2, usesPerUser: 1 });
		const [a, b, c] = [await makeUser(t.db), await makeUser(t.db), await makeUser(t.db)];
		for (const u of [a, b]) {
			const before = await balanceOfUser(t.db, u.id);
			const answer = await callerFor(t.db, u, { ip: freshIp() }).codes.redeem({ code: codes[0] });
			expect(answer).toMatchObject({ kind: 'package', credits: 42_000, balance_credits: before + 42_000, expires_at: null });
			expect(await balanceOfUser(t.db, u.id)).toBe(before + 42_000);
		}
		expect(await failure(redeemCode(t.db, c.id, codes[0], freshIp()))).toBe('code_used_up');
		await clean();
	});

	it('20 people submitting one single-use package code at once: one activation', async () => {
		const p = await pkg({ unit: 'images', amount: 50, bonus: 5, validity_days: 30 });
		const { codes, batch: b } = await createBatch(t.db, admin.id, { name: 'Race pack', kind: 'package', packageId: p.id, count: 1, expiresAt: null, usesPerCode: 1, usesPerUser: 1 });
		const users = await Promise.all(Array.from({ length: 20 }, () => makeUser(t.db)));
		const outcomes = await Promise.all(users.map((u) => failure(redeemCode(t.db, u.id, codes[0], freshIp()))));
		expect(outcomes.filter((o) => o === 'redeemed')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'code_used_up')).toHaveLength(19);
		const [row] = await t.db.execute<{ n: number }>(
			sql`select count(*)::int as n from credit_grants g join wallets w on w.id = g.wallet_id where g.source = 'package' and w.user_id in (${sql.join(users.map((u) => sql`${u.id}`), sql`, `)})`
		);
		expect(row.n).toBe(2);
		expect(await t.db.select().from(redemptions).where(eq(redemptions.batchId, b.id))).toHaveLength(1);
		await clean();
	});

	it('over REST the answer says what was granted', async () => {
		const p = await pkg({ name: 'REST pack' });
		const { codes } = await createBatch(t.db, admin.id, { name: 'REST pack batch', kind: 'package', packageId: p.id, count: 1, expiresAt: null, usesPerCode: 1, usesPerUser: 1 });
		const user = await makeUser(t.db);
		const ok = await restCall(t.db, 'POST', '/redemptions', user, null, { code: codes[0] });
		expect(ok.status).toBe(200);
		const body = await ok.json();
		expect(body).toMatchObject({ kind: 'package', credits: 0, package: { name: 'REST pack', unit: 'tokens' } });
		expect(body.grants).toHaveLength(2);
	});
});
