import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { memberships } from '../../src/lib/server/db/schema';
import { appRouter } from '../../src/lib/server/trpc/root';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { postEntry } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId } from '../../src/lib/server/ledger/wallets';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { reportCsv } from '../../src/lib/server/enterprises/reports';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { useTestDatabase } from '../helpers/db';
import { callerFor, contextFor, makeUser } from '../helpers/callers';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();

let platform: SessionUser;
let admin: SessionUser;
let otherAdmin: SessionUser;
let member: SessionUser;
let stranger: SessionUser;
let enterpriseId: number;
let otherEnterpriseId: number;

beforeAll(async () => {
	platform = await makeUser(t.db, { role: 'admin', name: 'Platform' });
	admin = await makeUser(t.db, { name: 'Enterprise Admin' });
	otherAdmin = await makeUser(t.db, { name: 'Other Admin' });
	member = await makeUser(t.db, { name: 'Member' });
	stranger = await makeUser(t.db, { name: 'Stranger' });
	const p = callerFor(t.db, platform);
	enterpriseId = (await p.enterprises.create({ name: '星河科技 Galaxy', description: 'demo', admin_user_ids: [admin.id] })).id;
	otherEnterpriseId = (await p.enterprises.create({ name: 'Other Co', description: '', admin_emails: [otherAdmin.email] })).id;
	await p.enterprises.addUser({ group_id: enterpriseId, user_id: member.id });
});

describe('enterprise creation (platform admin)', () => {
	it('creates the enterprise, its empty wallet and its admins in order', async () => {
		const p = callerFor(t.db, platform);
		const g = await p.enterprises.create({ name: 'Two Admins', description: 'x', admin_user_ids: [admin.id], admin_emails: [otherAdmin.email] });
		expect(g.balance).toBe(0);
		expect(g.member_count).toBe(0);
		expect(g.admins.map((a) => a.id)).toEqual([admin.id, otherAdmin.id]);
		expect(await enterpriseWalletId(t.db, g.id)).toBeGreaterThan(0);
		const renamed = await p.enterprises.setAdmins({ enterprise_id: g.id, admin_emails: [member.email] });
		expect(renamed.admins.map((a) => a.id)).toEqual([member.id]);
	});

	it('refuses bad input and unknown admins without creating anything', async () => {
		const p = callerFor(t.db, platform);
		const before = (await p.enterprises.list()).length;
		await expectCode(p.enterprises.create({ name: '  ', description: '' }), 'BAD_REQUEST');
		await expectCode(p.enterprises.create({ name: 'Ghost admin', description: '', admin_user_ids: [987654] }), 'NOT_FOUND', 'user_not_found');
		await expectCode(p.enterprises.create({ name: 'Ghost email', description: '', admin_emails: ['nobody@nowhere.test'] }), 'NOT_FOUND', 'unknown_email');
		expect((await p.enterprises.list()).length).toBe(before);
	});
});

describe('membership', () => {
	it('adding an active member answers the existing membership without a duplicate', async () => {
		const a = callerFor(t.db, platform);
		const first = await a.enterprises.addUser({ group_id: enterpriseId, user_id: member.id });
		const again = await a.enterprises.addUser({ group_id: enterpriseId, user_id: member.id });
		expect(again.id).toBe(first.id);
		const rows = await t.db
			.select()
			.from(memberships)
			.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.userId, member.id), eq(memberships.isActive, true)));
		expect(rows).toHaveLength(1);
	});

	it('remove is a soft delete, re-join is a new row at the end', async () => {
		const a = callerFor(t.db, admin);
		const p = callerFor(t.db, platform);
		const joiner = await makeUser(t.db);
		const first = await p.enterprises.addUser({ group_id: enterpriseId, user_id: joiner.id });
		const removed = await a.enterprises.removeUser({ group_id: enterpriseId, user_id: joiner.id });
		expect(removed).toMatchObject({ id: first.id, is_active: false });
		expect(removed.left_at).toBeInstanceOf(Date);
		// Removing again answers the same (inactive) membership.
		expect((await a.enterprises.removeUser({ group_id: enterpriseId, user_id: joiner.id })).id).toBe(first.id);
		const rejoined = await p.enterprises.addUser({ group_id: enterpriseId, user_id: joiner.id });
		expect(rejoined.id).not.toBe(first.id);
		expect(rejoined.joined_at.getTime()).toBeGreaterThan(first.joined_at.getTime());
		const all = await t.db.select().from(memberships).where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.userId, joiner.id)));
		expect(all).toHaveLength(2);
	});

	it('unknown ids are NOT_FOUND', async () => {
		const p = callerFor(t.db, platform);
		await expectCode(p.enterprises.addUser({ group_id: 999999, user_id: member.id }), 'NOT_FOUND', 'enterprise_not_found');
		await expectCode(p.enterprises.addUser({ group_id: enterpriseId, user_id: 999999 }), 'NOT_FOUND', 'user_not_found');
		await expectCode(p.enterprises.removeUser({ group_id: enterpriseId, user_id: stranger.id }), 'NOT_FOUND', 'not_a_member');
		await expectCode(p.enterprises.userEnterprises({ user_id: 999999 }), 'NOT_FOUND', 'user_not_found');
		await expectCode(p.enterprises.members({ enterprise_id: 999999 }), 'NOT_FOUND', 'enterprise_not_found');
	});

	it('batch invite and remove report one row per email and create no users', async () => {
		const a = callerFor(t.db, admin);
		const x = await makeUser(t.db);
		const y = await makeUser(t.db);
		const invited = await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [x.email, y.email.toUpperCase(), member.email, 'ghost@nowhere.test', 'not-an-email', x.email] });
		expect(invited.map((r) => [r.email, r.status])).toEqual([
			[x.email, 'invited'],
			[y.email, 'invited'],
			[member.email, 'already_member'],
			['ghost@nowhere.test', 'signup_link'],
			['not-an-email', 'invalid']
		]);
		for (const u of [x, y]) {
			const c = callerFor(t.db, u);
			await c.enterprises.acceptInvitation({ invitation_id: (await c.enterprises.myInvitations())[0].id });
		}
		const removed = await a.enterprises.removeMembers({ enterprise_id: enterpriseId, emails: [y.email, stranger.email, 'ghost@nowhere.test', 'not-an-email'] });
		expect(removed.map((r) => r.status)).toEqual(['removed', 'not_member', 'unknown_email', 'invalid_email']);
		const list = await a.enterprises.members({ enterprise_id: enterpriseId });
		expect(list.map((m) => m.email)).toContain(x.email);
		expect(list.map((m) => m.email)).not.toContain(y.email);
		await expectCode(a.enterprises.invite({ enterprise_id: enterpriseId, emails: [] }), 'BAD_REQUEST');
	});

	it('member limits are set by the enterprise admin and cleared with null', async () => {
		const a = callerFor(t.db, admin);
		expect((await a.enterprises.setLimit({ enterprise_id: enterpriseId, user_id: member.id, monthly_limit: 5000 })).monthly_limit).toBe(5000);
		const row = (await a.enterprises.members({ enterprise_id: enterpriseId })).find((m) => m.user_id === member.id)!;
		expect(row).toMatchObject({ monthly_limit: 5000, spent_this_month: 0, limit_left: 5000 });
		await expectCode(a.enterprises.setLimit({ enterprise_id: enterpriseId, user_id: member.id, monthly_limit: -1 }), 'BAD_REQUEST');
		await expectCode(a.enterprises.setLimit({ enterprise_id: enterpriseId, user_id: member.id, monthly_limit: 1.5 }), 'BAD_REQUEST');
		await expectCode(a.enterprises.setLimit({ enterprise_id: enterpriseId, user_id: stranger.id, monthly_limit: 10 }), 'NOT_FOUND', 'not_a_member');
		expect((await a.enterprises.setLimit({ enterprise_id: enterpriseId, user_id: member.id, monthly_limit: null })).monthly_limit).toBeNull();
	});
});

describe('the member side', () => {
	it('suspend, resume and reorder change what the member sees', async () => {
		const p = callerFor(t.db, platform);
		const m = callerFor(t.db, member);
		await p.enterprises.addUser({ group_id: otherEnterpriseId, user_id: member.id });
		expect((await m.enterprises.mine()).map((g) => g.id)).toEqual([enterpriseId, otherEnterpriseId]);
		await m.enterprises.reorder({ enterprise_ids: [otherEnterpriseId, enterpriseId] });
		const mine = await m.enterprises.mine();
		expect(mine.map((g) => g.id)).toEqual([otherEnterpriseId, enterpriseId]);
		// The primary enterprise stays the earliest joined, whatever the order.
		expect(mine.find((g) => g.is_primary)?.id).toBe(enterpriseId);
		await expectCode(m.enterprises.reorder({ enterprise_ids: [enterpriseId] }), 'BAD_REQUEST', 'order_mismatch');
		await expectCode(m.enterprises.reorder({ enterprise_ids: [enterpriseId, enterpriseId] }), 'BAD_REQUEST', 'order_mismatch');
		await m.enterprises.setSuspended({ enterprise_id: enterpriseId, suspended: true });
		expect((await m.enterprises.mine()).find((g) => g.id === enterpriseId)).toMatchObject({ suspended: true, can_pay: false });
		await m.enterprises.setSuspended({ enterprise_id: enterpriseId, suspended: false });
		await expectCode(callerFor(t.db, stranger).enterprises.setSuspended({ enterprise_id: enterpriseId, suspended: true }), 'NOT_FOUND', 'not_a_member');
		await m.enterprises.reorder({ enterprise_ids: [enterpriseId, otherEnterpriseId] });
	});

	it('admin-credit describes the primary enterprise and lists every enterprise in payment order', async () => {
		const walletId = await enterpriseWalletId(t.db, enterpriseId);
		await postEntry(t.db, { walletId, amount: 7000, kind: 'adjustment', idempotencyKey: `test-fund-${enterpriseId}` });
		const credit = await callerFor(t.db, member).enterprises.adminCredit();
		expect(credit).toMatchObject({ group_id: enterpriseId, admin_id: admin.id, admin_name: 'Enterprise Admin', admin_credit: 7000 });
		expect(credit.user_credit).toBeGreaterThan(0);
		expect(credit.groups.map((g) => g.id)).toEqual([enterpriseId, otherEnterpriseId]);
		expect(credit.groups[1]).toMatchObject({ admin_id: otherAdmin.id, admin_credit: 0 });
		const loner = await callerFor(t.db, stranger).enterprises.adminCredit();
		expect(loner).toMatchObject({ group_id: null, group_name: null, admin_id: null, admin_name: null, admin_credit: null, groups: [] });
		const history = await callerFor(t.db, admin).enterprises.walletHistory({ enterprise_id: enterpriseId });
		expect(history[0]).toMatchObject({ amount: 7000, balance_after: 7000, kind: 'adjustment' });
	});

	it('report lists active members with zeros and escapes CSV', async () => {
		const report = await callerFor(t.db, admin).enterprises.report({ enterprise_id: enterpriseId });
		expect(report.month).toMatch(/^\d{4}-\d{2}$/);
		expect(report.rows.find((r) => r.user_id === member.id)).toMatchObject({ requests: 0, cost: 0, active: true });
		const csv = reportCsv(
			[{ userId: 1, name: '=cmd,"x"', email: 'a@b.c', active: true, requests: 2, inputTokens: 10, outputTokens: 5, cost: 12345 }],
			10_000,
			'CNY'
		);
		expect(csv).toBe('email,name,active,requests,input_tokens,output_tokens,cost_credits,cost_cny\r\na@b.c,"\'=cmd,""x""",yes,2,10,5,12345,1.2345\r\n');
		await expectCode(callerFor(t.db, admin).enterprises.report({ enterprise_id: enterpriseId, month: '2026-13' }), 'BAD_REQUEST');
	});
});

describe('authorization matrix', () => {
	type Who = 'anonymous' | 'user' | 'otherAdmin' | 'enterpriseAdmin' | 'platform';
	const who = (w: Who): SessionUser | null =>
		({ anonymous: null, user: stranger, otherAdmin, enterpriseAdmin: admin, platform })[w];
	const expected = (w: Who, allowed: Who[]): TRPCError['code'] | 'OK' =>
		allowed.includes(w) ? 'OK' : w === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN';
	const everyone: Who[] = ['anonymous', 'user', 'otherAdmin', 'enterpriseAdmin', 'platform'];

	const enterpriseAdminOnly: Array<[string, (c: ReturnType<typeof callerFor>, target: SessionUser) => Promise<unknown>]> = [
		['get', (c) => c.enterprises.get({ enterprise_id: enterpriseId })],
		['members', (c) => c.enterprises.members({ enterprise_id: enterpriseId })],
		['removeUser', (c, u) => c.enterprises.removeUser({ group_id: enterpriseId, user_id: u.id })],
		['invite', (c) => c.enterprises.invite({ enterprise_id: enterpriseId, emails: ['invitee@example.com'] })],
		['invitations', (c) => c.enterprises.invitations({ enterprise_id: enterpriseId })],
		['removeMembers', (c, u) => c.enterprises.removeMembers({ enterprise_id: enterpriseId, emails: [u.email] })],
		['setLimit', (c) => c.enterprises.setLimit({ enterprise_id: enterpriseId, user_id: member.id, monthly_limit: 100 })],
		['report', (c) => c.enterprises.report({ enterprise_id: enterpriseId })],
		['walletHistory', (c) => c.enterprises.walletHistory({ enterprise_id: enterpriseId })]
	];

	for (const [name, call] of enterpriseAdminOnly) {
		it(`${name}: only the enterprise's admins and platform admins`, async () => {
			for (const w of everyone) {
				const target = await makeUser(t.db);
				await callerFor(t.db, platform).enterprises.addUser({ group_id: enterpriseId, user_id: target.id });
				const promise = call(callerFor(t.db, who(w)), target);
				const code = expected(w, ['enterpriseAdmin', 'platform']);
				if (code === 'OK') await expect(promise).resolves.toBeDefined();
				else await expectCode(promise, code);
			}
		});
	}

	it('addUser (by id): platform admins only, not the enterprise admin', async () => {
		for (const w of everyone) {
			const target = await makeUser(t.db);
			const promise = callerFor(t.db, who(w)).enterprises.addUser({ group_id: enterpriseId, user_id: target.id });
			const code = expected(w, ['platform']);
			if (code === 'OK') await expect(promise).resolves.toMatchObject({ user_id: target.id, is_active: true });
			else await expectCode(promise, code);
		}
	});

	it('create and setAdmins: platform admins only', async () => {
		for (const w of everyone) {
			const c = callerFor(t.db, who(w));
			const code = expected(w, ['platform']);
			const create = c.enterprises.create({ name: `by ${w}`, description: '' });
			const setAdmins = c.enterprises.setAdmins({ enterprise_id: otherEnterpriseId, admin_emails: [otherAdmin.email] });
			if (code === 'OK') {
				await expect(create).resolves.toMatchObject({ name: `by ${w}` });
				await expect(setAdmins).resolves.toMatchObject({ id: otherEnterpriseId });
			} else {
				await expectCode(create, code);
				await expectCode(setAdmins, code);
			}
		}
	});

	it('list: everyone signed in sees only what they administer; platform admins all', async () => {
		await expectCode(callerFor(t.db, null).enterprises.list(), 'UNAUTHORIZED');
		expect(await callerFor(t.db, stranger).enterprises.list()).toEqual([]);
		expect((await callerFor(t.db, admin).enterprises.list()).map((g) => g.id)).toContain(enterpriseId);
		expect((await callerFor(t.db, admin).enterprises.list()).map((g) => g.id)).not.toContain(otherEnterpriseId);
		expect((await callerFor(t.db, platform).enterprises.list()).map((g) => g.id)).toEqual(expect.arrayContaining([enterpriseId, otherEnterpriseId]));
	});

	it("userEnterprises: the user themself or a platform admin; an enterprise admin cannot read a member's enterprises", async () => {
		for (const w of everyone) {
			const promise = callerFor(t.db, who(w)).enterprises.userEnterprises({ user_id: member.id });
			const code = expected(w, ['platform']);
			if (code === 'OK') await expect(promise).resolves.toHaveLength(2);
			else await expectCode(promise, code);
		}
		expect((await callerFor(t.db, member).enterprises.userEnterprises({ user_id: member.id })).map((g) => g.id)).toEqual([enterpriseId, otherEnterpriseId]);
	});

	it('self-service procedures need a signed-in caller and touch only their own memberships', async () => {
		const anon = callerFor(t.db, null);
		await expectCode(anon.enterprises.mine(), 'UNAUTHORIZED');
		await expectCode(anon.enterprises.adminCredit(), 'UNAUTHORIZED');
		await expectCode(anon.enterprises.setSuspended({ enterprise_id: enterpriseId, suspended: true }), 'UNAUTHORIZED');
		await expectCode(anon.enterprises.reorder({ enterprise_ids: [enterpriseId] }), 'UNAUTHORIZED');
		// The enterprise admin suspending "their" enterprise touches only the admin's own (absent) membership.
		await expectCode(callerFor(t.db, admin).enterprises.setSuspended({ enterprise_id: enterpriseId, suspended: true }), 'NOT_FOUND', 'not_a_member');
		expect((await callerFor(t.db, member).enterprises.mine()).every((g) => !g.suspended)).toBe(true);
	});
});

describe('REST routes', () => {
	const POST_JSON = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
	const handle = (req: Request, user: SessionUser | null) =>
		handleOpenApiRequest(req, () => contextFor(t.db, user));

	it('are in the OpenAPI document', () => {
		const doc = generateOpenApiDocument(appRouter, { title: 't', version: '1', baseUrl: '/api/v1' });
		for (const path of ['/enterprises/create', '/groups/id/{group_id}/add-user/{user_id}', '/groups/id/{group_id}/remove-user/{user_id}', '/groups/user/{user_id}/groups', '/groups/admin-credit']) {
			expect(doc.paths?.[path], path).toBeDefined();
		}
	});

	it('add-user, user enterprises and admin-credit answer the JSON of requirement doc multi-group-credit-deduction', async () => {
		const newcomer = await makeUser(t.db);
		// The enterprise's own admin may not enrol by id; the platform may.
		const byEnterpriseAdmin = await handle(new Request(`http://x/api/v1/groups/id/${enterpriseId}/add-user/${newcomer.id}`, POST_JSON), admin);
		expect(byEnterpriseAdmin.status).toBe(403);
		const add = await handle(new Request(`http://x/api/v1/groups/id/${enterpriseId}/add-user/${newcomer.id}`, POST_JSON), platform);
		expect(add.status).toBe(200);
		expect(await add.json()).toMatchObject({ user_id: newcomer.id, group_id: enterpriseId, is_active: true });
		const list = await handle(new Request(`http://x/api/v1/groups/user/${newcomer.id}/groups`), newcomer);
		expect((await list.json()).map((g: { id: number }) => g.id)).toEqual([enterpriseId]);
		const other = await handle(new Request(`http://x/api/v1/groups/user/${member.id}/groups`), newcomer);
		expect(other.status).toBe(403);
		const credit = await handle(new Request('http://x/api/v1/groups/admin-credit'), newcomer);
		expect(await credit.json()).toMatchObject({ group_id: enterpriseId, admin_id: admin.id, groups: [{ id: enterpriseId }] });
		const anon = await handle(new Request('http://x/api/v1/groups/admin-credit'), null);
		expect(anon.status).toBe(401);
		const removed = await handle(new Request(`http://x/api/v1/groups/id/${enterpriseId}/remove-user/${newcomer.id}`, POST_JSON), platform);
		expect(await removed.json()).toMatchObject({ user_id: newcomer.id, is_active: false });
	});
});
