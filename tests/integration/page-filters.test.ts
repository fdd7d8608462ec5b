import { beforeAll, describe, expect, it } from 'vitest';
import { setAppDatabase } from '../../src/lib/server/db/instance';
import { GET as trpcGet } from '../../src/routes/api/trpc/[...trpc]/+server';
import { addDays, utcDay } from '../../src/lib/server/calendar';
import { userWalletId } from '../../src/lib/server/ledger/wallets';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { chartDays } from '../../src/routes/(app)/dashboard/range';
import { MEMBER_SEARCH_LIMIT, membersQuery } from '../../src/routes/(app)/enterprises/[id]/member-search';
import { useTestDatabase } from '../helpers/db';
import { requestEvent } from '../helpers/events';
import { callerFor, makeUser, uniqueEmail } from '../helpers/callers';
import { insertSettledUsage } from '../helpers/usage-rows';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();
const DAY = 24 * 60 * 60 * 1000;

/** A GET of one procedure through /api/trpc, as the browser's typed client sends it. */
async function trpcQuery(user: SessionUser, path: string, input: unknown) {
	const e = requestEvent(new Request(`http://127.0.0.1/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)) as { locals: unknown };
	e.locals = { db: t.db, user, sessionId: null, apiKey: null, locale: 'en' };
	return trpcGet(e as never);
}

beforeAll(() => setAppDatabase({ db: t.db, sql: t.sql, close: async () => {}, source: 'test', shutdown: async () => {} }));

describe("the dashboard's chart range (dashboard.overview days)", () => {
	let user: SessionUser;
	const now = new Date();
	const ago = [1, 5, 10, 40, 80, 120];
	beforeAll(async () => {
		user = await makeUser(t.db);
		const wallet = await userWalletId(t.db, user.id);
		for (const d of ago) {
			await insertSettledUsage(t.db, { requestId: `range-${user.id}-${d}`, userId: user.id, walletId: wallet, model: 'gpt-4o', inputTokens: 1, outputTokens: 1, cost: d, occurredAt: new Date(now.getTime() - d * DAY) });
		}
	});

	it('covers the last 7, 30 or 90 days (30 unless asked), with the same answer otherwise', async () => {
		const caller = callerFor(t.db, user, { timeZone: 'UTC' });
		const today = utcDay(new Date());
		const byDays = new Map<number, Awaited<ReturnType<typeof caller.dashboard.overview>>>();
		for (const days of [7, 30, 90] as const) byDays.set(days, await caller.dashboard.overview({ days }));
		const unasked = await caller.dashboard.overview({});
		expect(unasked.range).toEqual(byDays.get(30)!.range);
		for (const [days, o] of byDays) {
			expect(o.range).toEqual({ from: addDays(today, -(days - 1)), to: today });
			expect(o.daily.map((d) => d.cost).sort((a, b) => a - b)).toEqual(ago.filter((d) => d < days));
			expect(Object.keys(o).sort()).toEqual(Object.keys(unasked).sort());
			expect({ month: o.month, all_time: o.all_time, top_models: o.top_models, balance: o.balance }).toEqual({
				month: unasked.month,
				all_time: unasked.all_time,
				top_models: unasked.top_models,
				balance: unasked.balance
			});
		}
	});

	it('refuses a day count it does not offer, and text for a number, with a 400', async () => {
		const caller = callerFor(t.db, user);
		await expectCode(caller.dashboard.overview({ days: 14 as never }), 'BAD_REQUEST');
		await expectCode(caller.dashboard.overview({ days: '7' as never }), 'BAD_REQUEST');
		for (const days of ['7', 14, 7.5, null]) {
			const res = await trpcQuery(user, 'dashboard.overview', { days });
			expect(res.status).toBe(400);
			expect(JSON.stringify(await res.json())).toContain(days === '7' || days === null ? 'invalid' : 'invalid_range');
		}
		expect((await trpcQuery(user, 'dashboard.overview', { days: 7 })).status).toBe(200);
	});

	it("reads the page's ?days= strictly: an offered count, else the default and a note", () => {
		expect(chartDays('7')).toEqual({ days: 7, invalid: false });
		expect(chartDays('90')).toEqual({ days: 90, invalid: false });
		expect(chartDays(undefined)).toEqual({ days: 30, invalid: false });
		for (const text of ['14', '07', '7.0', '0x7', 'seven', '-7', '1e2']) expect(chartDays(text)).toEqual({ days: 30, invalid: true });
	});
});

describe('member search (enterprises.members q)', () => {
	let platform: SessionUser;
	let admin: SessionUser;
	let outsider: SessionUser;
	let enterpriseId: number;
	let otherEnterpriseId: number;
	const people: Record<string, SessionUser> = {};

	beforeAll(async () => {
		platform = await makeUser(t.db, { role: 'admin' });
		admin = await makeUser(t.db, { name: 'Search Admin' });
		outsider = await makeUser(t.db, { name: 'Zed Outsider' });
		const p = callerFor(t.db, platform);
		enterpriseId = (await p.enterprises.create({ name: 'Search Co', description: '', admin_user_ids: [admin.id] })).id;
		otherEnterpriseId = (await p.enterprises.create({ name: 'Other Search Co', description: '' })).id;
		const named = { ada: 'Ada Lovelace', grace: 'Grace Hopper', pct: '100% Club', under: 'snake_case', plain: 'Percy Plain' };
		for (const [key, name] of Object.entries(named)) {
			people[key] = await makeUser(t.db, { name, email: uniqueEmail(key === 'grace' ? 'COBOL.Grace' : key) });
			await p.enterprises.addUser({ group_id: enterpriseId, user_id: people[key].id });
		}
		// Matches every search below, but is in another enterprise.
		people.elsewhere = await makeUser(t.db, { name: 'Ada Grace 100% snake_case', email: uniqueEmail('cobol-ada') });
		await p.enterprises.addUser({ group_id: otherEnterpriseId, user_id: people.elsewhere.id });
	});

	const namesFor = async (q: string, user = admin) => (await callerFor(t.db, user).enterprises.members({ enterprise_id: enterpriseId, q })).map((m) => m.name).sort();

	it('matches the name or the email, in any case, and trims the text', async () => {
		expect(await namesFor('ada')).toEqual(['Ada Lovelace']);
		expect(await namesFor('  LOVELACE ')).toEqual(['Ada Lovelace']);
		expect(await namesFor('cobol.grace')).toEqual(['Grace Hopper']);
		expect(await namesFor('GRACE')).toEqual(['Grace Hopper']);
		expect(await namesFor('')).toHaveLength(5);
		expect(await namesFor('   ')).toHaveLength(5);
		expect(await namesFor('no such person')).toEqual([]);
	});

	it('takes % and _ literally', async () => {
		expect(await namesFor('%')).toEqual(['100% Club']);
		expect(await namesFor('0%')).toEqual(['100% Club']);
		expect(await namesFor('_')).toEqual(['snake_case']);
		expect(await namesFor('e_c')).toEqual(['snake_case']);
		expect(await namesFor('\\')).toEqual([]);
	});

	it("never shows another enterprise's members, and only to that enterprise's admins and platform admins", async () => {
		for (const q of ['ada', 'grace', '%', '_', 'cobol', '']) expect(await namesFor(q)).not.toContain('Ada Grace 100% snake_case');
		expect(await namesFor('ada', platform)).toEqual(['Ada Lovelace']);
		await expectCode(callerFor(t.db, outsider).enterprises.members({ enterprise_id: enterpriseId, q: 'ada' }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, people.ada).enterprises.members({ enterprise_id: enterpriseId, q: 'ada' }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, admin).enterprises.members({ enterprise_id: otherEnterpriseId, q: 'ada' }), 'FORBIDDEN');
	});

	it('answers at most `limit` matches, in join order', async () => {
		const page = await callerFor(t.db, admin).enterprises.members({ enterprise_id: enterpriseId, q: 'e', limit: 2 });
		const all = await callerFor(t.db, admin).enterprises.members({ enterprise_id: enterpriseId, q: 'e' });
		expect(all.length).toBeGreaterThan(2);
		expect(page.map((m) => m.user_id)).toEqual(all.slice(0, 2).map((m) => m.user_id));
		expect(membersQuery(enterpriseId, 'e').data).toEqual({ enterprise_id: enterpriseId, q: 'e', limit: MEMBER_SEARCH_LIMIT });
		expect(membersQuery(enterpriseId, '  ').data).toEqual({ enterprise_id: enterpriseId });
	});

	it('refuses a bad search with a 400 and changes nothing', async () => {
		const before = await callerFor(t.db, admin).enterprises.members({ enterprise_id: enterpriseId });
		const caller = callerFor(t.db, admin);
		await expectCode(caller.enterprises.members({ enterprise_id: enterpriseId, q: 'x'.repeat(101) }), 'BAD_REQUEST');
		await expectCode(caller.enterprises.members({ enterprise_id: enterpriseId, q: 5 as never }), 'BAD_REQUEST');
		await expectCode(caller.enterprises.members({ enterprise_id: enterpriseId, limit: 0 }), 'BAD_REQUEST');
		await expectCode(caller.enterprises.members({ enterprise_id: enterpriseId, limit: '10' as never }), 'BAD_REQUEST');
		const tooLong = await trpcQuery(admin, 'enterprises.members', { enterprise_id: enterpriseId, q: 'x'.repeat(101) });
		expect(tooLong.status).toBe(400);
		expect(JSON.stringify(await tooLong.json())).toContain('search_too_long');
		expect((await trpcQuery(admin, 'enterprises.members', { enterprise_id: enterpriseId, limit: '10' })).status).toBe(400);
		expect((await trpcQuery(admin, 'enterprises.members', { enterprise_id: enterpriseId, q: 'ada' })).status).toBe(200);
		expect(membersQuery(enterpriseId, 'x'.repeat(101)).success).toBe(false);
		expect(await callerFor(t.db, admin).enterprises.members({ enterprise_id: enterpriseId })).toEqual(before);
	});
});
