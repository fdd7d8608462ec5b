import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { runExpiry } from '../../src/lib/server/ledger/expiry';
import { HoldNotFoundError, releaseHold } from '../../src/lib/server/ledger/holds';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { ReserveError, reserveCredit } from '../../src/lib/server/usage/authorize';
import { setModelActive, setModelPrice } from '../../src/lib/server/usage/models';
import { tokenCost } from '../../src/lib/server/usage/price';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { balanceOfUser, makeModel } from '../helpers/usage';
import { holdState, makeGateway, moneyRows } from '../helpers/money';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember, removeMember } from '../../src/lib/server/enterprises/membership';
import { setMemberLimit } from '../../src/lib/server/enterprises/limits';
import { postEntry } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId } from '../../src/lib/server/ledger/wallets';

const t = useTestDatabase(12);
beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: 1_000, CREDIT_LIMIT: 0 }));

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const rid = (label: string) => `hold-${process.pid}-${Date.now()}-${seq++}-${label}`;

async function clean() {
	const report = await verifyLedger(t.db);
	expect(report.drifts).toEqual([]);
	expect(report.orphanUsage).toBe(0);
	expect(report.violations).toEqual([]);
}

describe('holds', () => {
	it('50 concurrent reserves of 100 on 1,000 available: exactly 10 allowed, each captured by its settlement, balance exact', async () => {
		const gw = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const ids = Array.from({ length: 50 }, (_, i) => rid(`c${i}`));
		const answers = await Promise.all(
			ids.map(async (request_id) => {
				const res = await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, reserve: true, request_id, estimated_cost: 100 });
				expect(res.status).toBe(200);
				return { request_id, body: (await res.json()) as { allowed: boolean; hold_id: number | null; available: number; expires_at: string | null } };
			})
		);
		const allowed = answers.filter((a) => a.body.allowed);
		expect(allowed).toHaveLength(10);
		expect(answers.filter((a) => !a.body.allowed).every((a) => a.body.hold_id === null && a.body.expires_at === null)).toBe(true);
		expect((await moneyRows(t.db)).holds).toBe(10);
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000);
		const refused = await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, reserve: true, request_id: rid('late'), estimated_cost: 1 });
		expect(await refused.json()).toMatchObject({ allowed: false, available: 0 });

		const settled = await Promise.all(
			allowed.map((a) => gw.call('POST', '/usage', { request_id: a.request_id, user_id: user.id, model: model.code, input_tokens: 0, cost: 100 }))
		);
		expect(settled.every((r) => r.status === 200)).toBe(true);
		expect(await balanceOfUser(t.db, user.id)).toBe(0);
		for (const a of allowed) expect(await holdState(t.db, a.request_id)).toEqual({ status: 'captured', captured_cost: '100', events: 'placed,captured' });
		await clean();
	});

	it('a mix of captures (for more or less than held), releases and expiries ends with the exact balance and each hold resolved once', async () => {
		const gw = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const reserve = (request_id: string, ttl_seconds = 600) =>
			gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, reserve: true, request_id, estimated_cost: 100, ttl_seconds });
		const capture = ['a', 'b', 'c'].map(rid);
		const release = ['d', 'e'].map(rid);
		const expire = ['f', 'g'].map(rid);
		for (const id of [...capture, ...release]) expect(await (await reserve(id)).json()).toMatchObject({ allowed: true });
		for (const id of expire) expect(await (await reserve(id, 1)).json()).toMatchObject({ allowed: true });
		// 7 holds of 100 on 1,000: an eighth leaves 200 available.
		expect(await (await reserve(rid('eighth'))).json()).toMatchObject({ allowed: true, available: 200 });

		const costs = [40, 100, 250];
		for (const [i, id] of capture.entries()) {
			const res = await gw.call('POST', '/usage', { request_id: id, user_id: user.id, model: model.code, input_tokens: 0, cost: costs[i] });
			expect(res.status).toBe(200);
		}
		for (const id of release) {
			const res = await gw.call('POST', `/usage/holds/${encodeURIComponent(id)}/release`);
			expect(await res.json()).toMatchObject({ request_id: id, status: 'released', amount: 100 });
		}
		const before = await moneyRows(t.db);
		const again = await gw.call('POST', `/usage/holds/${encodeURIComponent(release[0])}/release`);
		expect(await again.json()).toMatchObject({ status: 'released' });
		const capturedAgain = await gw.call('POST', `/usage/holds/${encodeURIComponent(capture[0])}/release`);
		expect(await capturedAgain.json()).toMatchObject({ status: 'captured', captured_cost: 40 });
		// Reserving again with a resolved hold's request id answers its final state.
		expect(await (await reserve(release[0])).json()).toMatchObject({ allowed: false, reason: 'hold_released', hold_id: expect.any(Number) });
		expect(await (await reserve(capture[0])).json()).toMatchObject({ allowed: false, reason: 'hold_captured' });
		expect(await moneyRows(t.db)).toEqual(before);

		// A released hold's request finishing anyway is billed; the hold stays released.
		await gw.call('POST', '/usage', { request_id: release[1], user_id: user.id, model: model.code, input_tokens: 0, cost: 30 });
		expect(await holdState(t.db, release[1])).toMatchObject({ status: 'released', events: 'placed,released' });

		await pause(1_100);
		// Expired holds count for nothing at once, before the job marks them.
		const wallet = await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, estimated_cost: 1, estimated_input_tokens: 0 });
		expect(await wallet.json()).toMatchObject({ available: 1_000 - 40 - 100 - 250 - 30 - 100 });
		// Settling an expired hold's request bills it without capturing the hold.
		await gw.call('POST', '/usage', { request_id: expire[0], user_id: user.id, model: model.code, input_tokens: 0, cost: 60 });
		expect((await runExpiry(t.db)).holds).toBeGreaterThanOrEqual(2);
		for (const id of expire) expect(await holdState(t.db, id)).toMatchObject({ status: 'expired', events: 'placed,expired' });
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000 - 40 - 100 - 250 - 30 - 60);
		await clean();
	});

	it('refuses bad reserves and foreign releases with typed errors and writes nothing', async () => {
		const gw = await makeGateway(t.db);
		const other = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const id = rid('mine');
		expect((await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, reserve: true, request_id: id, estimated_cost: 10 })).status).toBe(200);
		const before = await moneyRows(t.db);
		const base = { user_id: user.id, model: model.code, reserve: true, request_id: rid('bad'), estimated_cost: 10 };
		const cases: Array<[unknown, number, string]> = [
			[{ ...base, user_id: 2_000_000_000 }, 404, 'unknown_user'],
			[{ ...base, model: 'no-such-model' }, 404, 'model_not_priced'],
			[{ ...base, estimated_cost: -1 }, 400, 'invalid_input'],
			[{ ...base, ttl_seconds: 0 }, 400, 'invalid_input'],
			[{ ...base, ttl_seconds: 86_401 }, 400, 'invalid_input'],
			[{ ...base, request_id: undefined }, 400, 'invalid_input'],
			[{ ...base, estimated_cost: 0 }, 400, 'estimate_required'],
			[{ ...base, request_id: id, estimated_cost: 10 }, 200, '']
		];
		for (const [body, status, message] of cases) {
			const res = await other.call('POST', '/usage/authorize', body);
			if (status === 200) {
				// Someone else's request id is a conflict, not a second hold.
				expect(res.status).toBe(409);
				continue;
			}
			expect(res.status, JSON.stringify(body)).toBe(status);
			expect(await res.json()).toMatchObject({ message });
		}
		const foreign = await other.call('POST', `/usage/holds/${encodeURIComponent(id)}/release`);
		expect(foreign.status).toBe(404);
		expect(await foreign.json()).toMatchObject({ message: 'hold_not_found' });
		expect((await other.call('POST', '/usage/holds/nothing-here/release')).status).toBe(404);
		expect(await moneyRows(t.db)).toEqual(before);
		expect(await holdState(t.db, id)).toMatchObject({ status: 'active', events: 'placed' });
		// The same caller asking again answers the hold it placed.
		const repeat = await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, reserve: true, request_id: id, estimated_cost: 10 });
		expect(await repeat.json()).toMatchObject({ allowed: true });
		expect(await moneyRows(t.db)).toEqual(before);
	});

	it('a reserve is estimated at the price in force, not a superseded or a scheduled one; an inactive model is not priced', async () => {
		const gw = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const code = model.code;
		await setModelPrice(t.db, { code, provider: 'test', inputPrice: 5_000, outputPrice: 20_000, effectiveFrom: new Date('2021-01-01T00:00:00Z') });
		await setModelPrice(t.db, { code, provider: 'test', inputPrice: 500_000, outputPrice: 2_000_000, effectiveFrom: new Date(Date.now() + 86_400_000) });
		const reserve = (label: string) =>
			gw.call('POST', '/usage/authorize', { user_id: user.id, model: code, reserve: true, request_id: rid(label), estimated_input_tokens: 10_000, max_output_tokens: 1_000 });
		const res = await reserve('in-force');
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ allowed: true, estimated_cost: tokenCost(10_000, 1_000, { inputPrice: 5_000, outputPrice: 20_000 }) });
		await setModelActive(t.db, model.id, false);
		const inactive = await reserve('inactive');
		expect(inactive.status).toBe(404);
		expect(await inactive.json()).toMatchObject({ message: 'model_not_priced' });
		await clean();
	});

	it('a gateway killed between reserve and settle: the hold expires, nothing leaks, nothing is charged twice', async () => {
		const { spawn } = await import('node:child_process');
		const gw = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const id = rid('killed');
		const code = await new Promise<number | null>((resolve, reject) => {
			const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/reserve-then-die.ts'], {
				env: { ...process.env, DATABASE_URL: t.url, HOLD_USER: String(user.id), HOLD_MODEL: model.code, HOLD_REQUEST: id, HOLD_BY: String(gw.owner.id) },
				stdio: 'inherit'
			});
			child.on('error', reject);
			child.on('exit', (c, signal) => resolve(signal === 'SIGKILL' ? -9 : c));
		});
		expect(code).toBe(-9);
		expect(await holdState(t.db, id)).toMatchObject({ status: 'active' });
		const during = await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, estimated_cost: 1, estimated_input_tokens: 0 });
		expect(await during.json()).toMatchObject({ available: 500 });
		await pause(1_100);
		const after = await gw.call('POST', '/usage/authorize', { user_id: user.id, model: model.code, estimated_cost: 1, estimated_input_tokens: 0 });
		expect(await after.json()).toMatchObject({ available: 1_000 });
		await Promise.all([runExpiry(t.db), runExpiry(t.db)]);
		expect(await holdState(t.db, id)).toMatchObject({ status: 'expired', events: 'placed,expired' });
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000);
		// The restarted gateway reports the request twice: billed once.
		for (let i = 0; i < 2; i++) await gw.call('POST', '/usage', { request_id: id, user_id: user.id, model: model.code, input_tokens: 0, cost: 300 });
		expect(await balanceOfUser(t.db, user.id)).toBe(700);
		const [{ n }] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries where reference = ${'usage:' + id}`);
		expect(n).toBe(1);
		await clean();
	});

	it('a reserve follows the payer chain: the enterprise while its member limit and its available credits cover the estimate, then the own wallet, refused past it', async () => {
		const gw = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const enterprise = await createEnterprise(t.db, { name: rid('chain'), description: '' });
		const enterpriseWallet = await enterpriseWalletId(t.db, enterprise.id);
		await postEntry(t.db, { walletId: enterpriseWallet, amount: 500, kind: 'adjustment', idempotencyKey: rid('fund') });
		await addMember(t.db, enterprise.id, user.id, gw.owner.id);
		await setMemberLimit(t.db, enterprise.id, user.id, 300);
		const ownWallet = (await t.db.execute<{ id: number }>(sql`select id from wallets where user_id = ${user.id}`))[0].id;
		const ids = Array.from({ length: 5 }, (_, i) => rid(`chain${i}`));
		const reserve = (requestId: string, estimatedCost: number) =>
			reserveCredit(t.db, { userId: user.id, model: model.code, estimatedCost, requestId, ttlSeconds: 600, placedBy: gw.owner.id, apiKeyId: null });
		const answers = [];
		for (const [i, cost] of [200, 200, 200, 400, 500].entries()) answers.push(await reserve(ids[i], cost));
		const byEnterprise = { wallet_id: enterpriseWallet, enterprise_id: enterprise.id };
		const byOwn = { wallet_id: ownWallet, enterprise_id: null };
		expect(answers.map((a) => ({ allowed: a.allowed, payer: a.payer, available: a.available }))).toEqual([
			{ allowed: true, payer: byEnterprise, available: 300 },
			{ allowed: true, payer: byEnterprise, available: 100 },
			// the enterprise has 100 available: the own wallet
			{ allowed: true, payer: byOwn, available: 800 },
			// over the member's limit room of 300: the own wallet
			{ allowed: true, payer: byOwn, available: 400 },
			{ allowed: false, payer: byOwn, available: 400 }
		]);
		expect(answers[4]).toMatchObject({ reason: 'insufficient_funds', hold_id: null, estimated_cost: 500, expires_at: null });
		const repeat = await reserve(ids[0], 200);
		expect(repeat).toMatchObject({ allowed: true, reason: 'ok', hold_id: answers[0].hold_id, payer: byEnterprise, available: 100, estimated_cost: 200 });
		await clean();
	});

	it('a hold on an enterprise wallet the member has left is captured by its settlement: the enterprise no longer holds it, the own wallet pays', async () => {
		const gw = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const enterprise = await createEnterprise(t.db, { name: rid('left'), description: '' });
		const enterpriseWallet = await enterpriseWalletId(t.db, enterprise.id);
		await postEntry(t.db, { walletId: enterpriseWallet, amount: 500, kind: 'adjustment', idempotencyKey: rid('fund') });
		await addMember(t.db, enterprise.id, user.id, gw.owner.id);
		const id = rid('left');
		const reserved = await reserveCredit(t.db, { userId: user.id, model: model.code, estimatedCost: 200, requestId: id, ttlSeconds: 600, placedBy: gw.owner.id, apiKeyId: null });
		expect(reserved).toMatchObject({ allowed: true, payer: { wallet_id: enterpriseWallet }, available: 300 });
		await removeMember(t.db, enterprise.id, user.id);
		const res = await gw.call('POST', '/usage', { request_id: id, user_id: user.id, model: model.code, input_tokens: 0, cost: 150 });
		expect(await res.json()).toMatchObject({ settled: 1, results: [{ status: 'settled', enterprise_id: null, balance_after: 850 }] });
		expect(await holdState(t.db, id)).toMatchObject({ status: 'captured', captured_cost: '150' });
		const [{ held }] = await t.db.execute<{ held: string }>(sql`select held from wallets where id = ${enterpriseWallet}`);
		expect(Number(held)).toBe(0);
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000 - 150);
		await clean();
	});

	it('concurrent reserves share a transaction yet each request id is held once: a repeat answers the same hold, another caller is a conflict, a row the database refuses fails alone', async () => {
		const gw = await makeGateway(t.db);
		const other = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const twice = rid('twice');
		const contested = rid('contested');
		const reserve = (requestId: string, placedBy: number, apiKeyId: number | null = null) =>
			reserveCredit(t.db, { userId: user.id, model: model.code, estimatedCost: 100, requestId, ttlSeconds: 600, placedBy, apiKeyId }).then(
				(answer) => ({ ok: true as const, answer }),
				(err: unknown) => ({ ok: false as const, err })
			);
		const plain = Array.from({ length: 5 }, (_, i) => rid(`plain${i}`));
		// The first two calls take the two batch slots; the rest wait and go together in one batch.
		const outcomes = await Promise.all([
			...plain.map((id) => reserve(id, gw.owner.id)),
			reserve(twice, gw.owner.id),
			reserve(contested, gw.owner.id),
			reserve(twice, gw.owner.id),
			reserve(contested, other.owner.id),
			// No such API key: the database refuses this hold (foreign key), the others stand.
			reserve(rid('refused'), gw.owner.id, 2_000_000_000)
		]);
		const [first, , again, conflict, refused] = outcomes.slice(plain.length);
		expect(first.ok && again.ok && first.answer.hold_id !== null && first.answer.hold_id === again.answer.hold_id).toBe(true);
		expect(!conflict.ok && conflict.err instanceof ReserveError && conflict.err.code).toBe('request_id_conflict');
		expect(refused.ok).toBe(false);
		expect(outcomes.filter((o) => o.ok && o.answer.allowed)).toHaveLength(8);
		const [{ n, held }] = await t.db.execute<{ n: number; held: string }>(sql`
			select count(*)::int as n, sum(amount) as held from holds where user_id = ${user.id} and status = 'active'`);
		expect({ n, held: Number(held) }).toEqual({ n: 7, held: 700 });
		for (const id of [twice, contested, ...plain]) expect(await holdState(t.db, id)).toMatchObject({ status: 'active', events: 'placed' });
		const late = await reserveCredit(t.db, { userId: user.id, model: model.code, estimatedCost: 400, requestId: rid('late'), ttlSeconds: 600, placedBy: gw.owner.id, apiKeyId: null });
		expect(late).toMatchObject({ allowed: false, reason: 'insufficient_funds', available: 300 });
		await clean();
	});

	it('concurrent releases share a transaction yet each hold resolves once: a repeat answers the same result, a released hold is never captured, a release racing its capture ends one way', async () => {
		const gw = await makeGateway(t.db);
		const other = await makeGateway(t.db);
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const released = Array.from({ length: 12 }, (_, i) => rid(`rel${i}`));
		const raced = Array.from({ length: 6 }, (_, i) => rid(`race${i}`));
		const expiring = rid('expiring');
		const reserve = (requestId: string, ttlSeconds = 600) =>
			reserveCredit(t.db, { userId: user.id, model: model.code, estimatedCost: 10, requestId, ttlSeconds, placedBy: gw.owner.id, apiKeyId: null });
		for (const id of [...released, ...raced]) expect(await reserve(id)).toMatchObject({ allowed: true });
		expect(await reserve(expiring, 1)).toMatchObject({ allowed: true });
		await pause(1_100);
		const release = (id: string, by = gw.owner.id) =>
			releaseHold(t.db, by, id).then(
				(hold) => ({ ok: true as const, hold }),
				(err: unknown) => ({ ok: false as const, err })
			);
		const settle = (id: string) => gw.call('POST', '/usage', { request_id: id, user_id: user.id, model: model.code, input_tokens: 0, cost: 7 });
		// Each hold released twice at once, the raced ones also settled at once, and releases that must fail.
		const [first, second, racedReleases, settlements, foreign, missing, expired] = await Promise.all([
			Promise.all([...released, ...raced].map((id) => release(id))),
			Promise.all([...released, ...raced].map((id) => release(id))),
			Promise.all(raced.map((id) => release(id))),
			Promise.all(raced.map(settle)),
			release(released[0], other.owner.id),
			release(rid('nothing')),
			release(expiring)
		]);
		expect(!foreign.ok && foreign.err instanceof HoldNotFoundError).toBe(true);
		expect(!missing.ok && missing.err instanceof HoldNotFoundError).toBe(true);
		expect(expired).toMatchObject({ ok: true, hold: { status: 'expired' } });
		expect(settlements.every((r) => r.status === 200)).toBe(true);
		for (const [i, id] of [...released, ...raced].entries()) {
			const a = first[i];
			const b = second[i];
			expect(a.ok && b.ok, id).toBe(true);
			if (!a.ok || !b.ok) continue;
			// Every release of one hold answers the same final state: it resolved once.
			expect(b.hold).toEqual(a.hold);
			const state = await holdState(t.db, id);
			expect(state.events).toBe(`placed,${a.hold.status}`);
			expect(state.status).toBe(a.hold.status);
			if (released.includes(id)) expect(a.hold).toMatchObject({ status: 'released', amount: 10, captured_cost: null });
			else {
				expect(['released', 'captured']).toContain(a.hold.status);
				const r = racedReleases[raced.indexOf(id)];
				expect(r.ok && r.hold).toEqual(a.hold);
			}
		}
		// A released hold's request finishing afterwards is billed; the hold stays released, never captured.
		expect((await settle(released[1])).status).toBe(200);
		expect(await holdState(t.db, released[1])).toMatchObject({ status: 'released', captured_cost: null, events: 'placed,released' });
		expect(await balanceOfUser(t.db, user.id)).toBe(1_000 - 7 * (raced.length + 1));
		const [{ n }] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from holds where user_id = ${user.id} and status = 'active'`);
		expect(n).toBe(0);
		await clean();
	});
});
