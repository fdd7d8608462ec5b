import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enterpriseInvitations } from '../../src/lib/server/db/schema';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser, uniqueEmail } from '../helpers/callers';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();

let platform: SessionUser;
let admin: SessionUser;
let enterpriseId: number;
let earlierEnterpriseId: number;

beforeAll(async () => {
	platform = await makeUser(t.db, { role: 'admin', name: 'Platform' });
	admin = await makeUser(t.db, { name: 'Enterprise Admin' });
	const p = callerFor(t.db, platform);
	earlierEnterpriseId = (await p.enterprises.create({ name: 'Earlier Co', description: '' })).id;
	enterpriseId = (await p.enterprises.create({ name: 'Galaxy', description: '', admin_user_ids: [admin.id] })).id;
});

const tokenOf = (path: string | null) => new URL(path!, 'http://x').searchParams.get('invitation')!;

describe('an enterprise admin cannot enrol people', () => {
	it('adding by id is refused to an enterprise admin and allowed to the platform and an enterprises:manage key', async () => {
		const target = await makeUser(t.db);
		await expectCode(callerFor(t.db, admin).enterprises.addUser({ group_id: enterpriseId, user_id: target.id }), 'FORBIDDEN');
		// Nothing about the person leaks into the admin's lists.
		expect((await callerFor(t.db, admin).enterprises.members({ enterprise_id: enterpriseId })).map((m) => m.user_id)).not.toContain(target.id);
		expect((await callerFor(t.db, admin).enterprises.report({ enterprise_id: enterpriseId })).rows.map((r) => r.user_id)).not.toContain(target.id);
		// A plain user cannot hold enterprises:manage; a service account (the platform's) can.
		await expectCode(callerFor(t.db, admin, { apiKey: { id: 1, scopes: ['enterprises:manage'] } }).enterprises.addUser({ group_id: enterpriseId, user_id: target.id }), 'FORBIDDEN');
		const service = await makeUser(t.db, { role: 'service' });
		const keyed = callerFor(t.db, service, { apiKey: { id: 1, scopes: ['enterprises:manage'] } });
		expect(await keyed.enterprises.addUser({ group_id: earlierEnterpriseId, user_id: target.id })).toMatchObject({ user_id: target.id, is_active: true });
		expect(await callerFor(t.db, platform).enterprises.addUser({ group_id: earlierEnterpriseId, user_id: target.id })).toMatchObject({ is_active: true });
	});
});

describe('invitations', () => {
	it('invite → pending, not a member, not paying; accept → member last in the payer order', async () => {
		const person = await makeUser(t.db, { name: 'Invitee' });
		await callerFor(t.db, platform).enterprises.addUser({ group_id: earlierEnterpriseId, user_id: person.id });
		const a = callerFor(t.db, admin);
		const me = callerFor(t.db, person);
		expect(await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [person.email.toUpperCase()] })).toEqual([
			{ email: person.email, status: 'invited', signup_path: null }
		]);
		expect(await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [person.email] })).toEqual([{ email: person.email, status: 'already_invited', signup_path: null }]);
		const pending = await a.enterprises.invitations({ enterprise_id: enterpriseId });
		expect(pending.map((p) => [p.email, p.status])).toEqual([[person.email, 'pending']]);
		expect(Object.keys(pending[0]).sort()).toEqual(['created_at', 'email', 'expires_at', 'id', 'status']);
		expect((await a.enterprises.members({ enterprise_id: enterpriseId })).map((m) => m.user_id)).not.toContain(person.id);
		expect((await a.enterprises.report({ enterprise_id: enterpriseId })).rows.map((r) => r.user_id)).not.toContain(person.id);
		expect((await me.enterprises.mine()).map((g) => g.id)).toEqual([earlierEnterpriseId]);

		const [invitation] = await me.enterprises.myInvitations();
		expect(invitation).toMatchObject({ enterprise_id: enterpriseId, enterprise_name: 'Galaxy', invited_by_name: 'Enterprise Admin' });
		// Nobody else can answer it; to them it does not exist.
		const other = callerFor(t.db, await makeUser(t.db));
		await expectCode(other.enterprises.acceptInvitation({ invitation_id: invitation.id }), 'NOT_FOUND', 'invitation_not_found');
		await expectCode(a.enterprises.acceptInvitation({ invitation_id: invitation.id }), 'NOT_FOUND', 'invitation_not_found');

		const joined = await me.enterprises.acceptInvitation({ invitation_id: invitation.id });
		expect(joined).toMatchObject({ user_id: person.id, enterprise_id: enterpriseId, is_active: true, added_by: admin.id });
		expect((await me.enterprises.mine()).map((g) => g.id)).toEqual([earlierEnterpriseId, enterpriseId]);
		expect((await a.enterprises.members({ enterprise_id: enterpriseId })).map((m) => m.user_id)).toContain(person.id);
		expect(await a.enterprises.invitations({ enterprise_id: enterpriseId })).toEqual([]);
		expect(await me.enterprises.myInvitations()).toEqual([]);
		await expectCode(me.enterprises.acceptInvitation({ invitation_id: invitation.id }), 'CONFLICT', 'invitation_closed');
		expect(await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [person.email] })).toEqual([{ email: person.email, status: 'already_member', signup_path: null }]);
	});

	it('decline, revoke and expiry close an invitation without membership', async () => {
		const a = callerFor(t.db, admin);
		const decliner = await makeUser(t.db);
		const revoked = await makeUser(t.db);
		const late = await makeUser(t.db);
		await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [decliner.email, revoked.email, late.email] });

		const [d] = await callerFor(t.db, decliner).enterprises.myInvitations();
		expect(await callerFor(t.db, decliner).enterprises.declineInvitation({ invitation_id: d.id })).toEqual({ ok: true });
		expect(await callerFor(t.db, decliner).enterprises.mine()).toEqual([]);

		const [r] = await callerFor(t.db, revoked).enterprises.myInvitations();
		await expectCode(callerFor(t.db, await makeUser(t.db)).enterprises.revokeInvitation({ enterprise_id: enterpriseId, invitation_id: r.id }), 'FORBIDDEN');
		await a.enterprises.revokeInvitation({ enterprise_id: enterpriseId, invitation_id: r.id });
		expect(await callerFor(t.db, revoked).enterprises.myInvitations()).toEqual([]);
		await expectCode(callerFor(t.db, revoked).enterprises.acceptInvitation({ invitation_id: r.id }), 'CONFLICT', 'invitation_closed');
		await expectCode(a.enterprises.revokeInvitation({ enterprise_id: enterpriseId, invitation_id: r.id }), 'NOT_FOUND', 'invitation_not_found');

		const [l] = await callerFor(t.db, late).enterprises.myInvitations();
		await t.db.update(enterpriseInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(enterpriseInvitations.id, l.id));
		expect(await callerFor(t.db, late).enterprises.myInvitations()).toEqual([]);
		expect((await a.enterprises.invitations({ enterprise_id: enterpriseId })).find((i) => i.id === l.id)?.status).toBe('expired');
		await expectCode(callerFor(t.db, late).enterprises.acceptInvitation({ invitation_id: l.id }), 'CONFLICT', 'invitation_expired');
		// An expired invitation can be renewed by inviting again.
		expect((await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [late.email] }))[0].status).toBe('invited');

		const members = (await a.enterprises.members({ enterprise_id: enterpriseId })).map((m) => m.user_id);
		for (const u of [decliner, revoked, late]) expect(members).not.toContain(u.id);
	});

	it('an unknown email gets a sign-up link; registering through it with that email lands the invitation', async () => {
		const a = callerFor(t.db, admin);
		const email = uniqueEmail('newcomer');
		const bad = 'not-an-email';
		const rows = await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [email, bad] });
		expect(rows[0]).toMatchObject({ email, status: 'signup_link' });
		expect(rows[0].signup_path).toMatch(/^\/register\?invitation=[A-Za-z0-9_-]{40,}$/);
		expect(rows[1]).toEqual({ email: bad, status: 'invalid', signup_path: null });
		expect((await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [email] }))[0]).toEqual({ email, status: 'already_invited', signup_path: null });
		const token = tokenOf(rows[0].signup_path);

		// The link does not work for another email.
		const anon = callerFor(t.db, null);
		const intruder = await anon.auth.register({ email: uniqueEmail('intruder'), password: 'test-pass-123', name: 'Intruder', invitation: token });
		expect(await callerFor(t.db, { ...intruder.user }).enterprises.myInvitations()).toEqual([]);

		const signed = await anon.auth.register({ email, password: 'test-pass-123', name: 'Newcomer', invitation: token });
		const me = callerFor(t.db, { ...signed.user });
		const [invitation] = await me.enterprises.myInvitations();
		expect(invitation).toMatchObject({ enterprise_id: enterpriseId });
		expect(await me.enterprises.mine()).toEqual([]);
		await me.enterprises.acceptInvitation({ invitation_id: invitation.id });
		expect((await me.enterprises.mine()).map((g) => g.id)).toEqual([enterpriseId]);
		await expectCode(anon.auth.register({ email: uniqueEmail('x'), password: 'test-pass-123', name: 'X', invitation: 'bad token!' }), 'BAD_REQUEST');
	});

	it('someone invited before registering (without the link) receives the invitation when invited again', async () => {
		const a = callerFor(t.db, admin);
		const email = uniqueEmail('later');
		expect((await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [email] }))[0].status).toBe('signup_link');
		const person = await makeUser(t.db, { email });
		expect(await callerFor(t.db, person).enterprises.myInvitations()).toEqual([]);
		expect((await a.enterprises.invite({ enterprise_id: enterpriseId, emails: [email] }))[0].status).toBe('invited');
		expect(await callerFor(t.db, person).enterprises.myInvitations()).toHaveLength(1);
	});

	it('only the enterprise admin and platform admins invite or list invitations', async () => {
		const stranger = await makeUser(t.db);
		await expectCode(callerFor(t.db, stranger).enterprises.invite({ enterprise_id: enterpriseId, emails: [stranger.email] }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, stranger).enterprises.invitations({ enterprise_id: enterpriseId }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, null).enterprises.myInvitations(), 'UNAUTHORIZED');
		await expectCode(callerFor(t.db, admin).enterprises.invite({ enterprise_id: 999999, emails: ['a@b.co'] }), 'NOT_FOUND', 'enterprise_not_found');
		expect(await callerFor(t.db, platform).enterprises.invitations({ enterprise_id: enterpriseId })).toBeInstanceOf(Array);
	});
});
