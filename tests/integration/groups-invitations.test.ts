import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { groupInvitations } from '../../src/lib/server/db/schema';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { useTestDatabase } from '../helpers/db';
import { callerFor, makeUser, uniqueEmail } from '../helpers/callers';
import { expectCode } from '../helpers/expect-code';

const t = useTestDatabase();

let platform: SessionUser;
let admin: SessionUser;
let groupId: number;
let earlierGroupId: number;

beforeAll(async () => {
	platform = await makeUser(t.db, { role: 'admin', name: 'Platform' });
	admin = await makeUser(t.db, { name: 'Group Admin' });
	const p = callerFor(t.db, platform);
	earlierGroupId = (await p.groups.create({ name: 'Earlier Co', description: '' })).id;
	groupId = (await p.groups.create({ name: 'Galaxy', description: '', admin_user_ids: [admin.id] })).id;
});

const tokenOf = (path: string | null) => new URL(path!, 'http://x').searchParams.get('invitation')!;

describe('a group admin cannot enrol people', () => {
	it('adding by id is refused to a group admin and allowed to the platform and a groups:manage key', async () => {
		const target = await makeUser(t.db);
		await expectCode(callerFor(t.db, admin).groups.addUser({ group_id: groupId, user_id: target.id }), 'FORBIDDEN');
		// Nothing about the person leaks into the admin's lists.
		expect((await callerFor(t.db, admin).groups.members({ group_id: groupId })).map((m) => m.user_id)).not.toContain(target.id);
		expect((await callerFor(t.db, admin).groups.report({ group_id: groupId })).rows.map((r) => r.user_id)).not.toContain(target.id);
		// A plain user cannot hold groups:manage; a service account (the platform's) can.
		await expectCode(callerFor(t.db, admin, { apiKey: { id: 1, scopes: ['groups:manage'] } }).groups.addUser({ group_id: groupId, user_id: target.id }), 'FORBIDDEN');
		const service = await makeUser(t.db, { role: 'service' });
		const keyed = callerFor(t.db, service, { apiKey: { id: 1, scopes: ['groups:manage'] } });
		expect(await keyed.groups.addUser({ group_id: earlierGroupId, user_id: target.id })).toMatchObject({ user_id: target.id, is_active: true });
		expect(await callerFor(t.db, platform).groups.addUser({ group_id: earlierGroupId, user_id: target.id })).toMatchObject({ is_active: true });
	});
});

describe('invitations', () => {
	it('invite → pending, not a member, not paying; accept → member last in the payer order', async () => {
		const person = await makeUser(t.db, { name: 'Invitee' });
		await callerFor(t.db, platform).groups.addUser({ group_id: earlierGroupId, user_id: person.id });
		const a = callerFor(t.db, admin);
		const me = callerFor(t.db, person);
		expect(await a.groups.invite({ group_id: groupId, emails: [person.email.toUpperCase()] })).toEqual([
			{ email: person.email, status: 'invited', signup_path: null }
		]);
		expect(await a.groups.invite({ group_id: groupId, emails: [person.email] })).toEqual([{ email: person.email, status: 'already_invited', signup_path: null }]);
		const pending = await a.groups.invitations({ group_id: groupId });
		expect(pending.map((p) => [p.email, p.status])).toEqual([[person.email, 'pending']]);
		expect(Object.keys(pending[0]).sort()).toEqual(['created_at', 'email', 'expires_at', 'id', 'status']);
		expect((await a.groups.members({ group_id: groupId })).map((m) => m.user_id)).not.toContain(person.id);
		expect((await a.groups.report({ group_id: groupId })).rows.map((r) => r.user_id)).not.toContain(person.id);
		expect((await me.groups.mine()).map((g) => g.id)).toEqual([earlierGroupId]);

		const [invitation] = await me.groups.myInvitations();
		expect(invitation).toMatchObject({ group_id: groupId, group_name: 'Galaxy', invited_by_name: 'Group Admin' });
		// Nobody else can answer it; to them it does not exist.
		const other = callerFor(t.db, await makeUser(t.db));
		await expectCode(other.groups.acceptInvitation({ invitation_id: invitation.id }), 'NOT_FOUND', 'invitation_not_found');
		await expectCode(a.groups.acceptInvitation({ invitation_id: invitation.id }), 'NOT_FOUND', 'invitation_not_found');

		const joined = await me.groups.acceptInvitation({ invitation_id: invitation.id });
		expect(joined).toMatchObject({ user_id: person.id, group_id: groupId, is_active: true, added_by: admin.id });
		expect((await me.groups.mine()).map((g) => g.id)).toEqual([earlierGroupId, groupId]);
		expect((await a.groups.members({ group_id: groupId })).map((m) => m.user_id)).toContain(person.id);
		expect(await a.groups.invitations({ group_id: groupId })).toEqual([]);
		expect(await me.groups.myInvitations()).toEqual([]);
		await expectCode(me.groups.acceptInvitation({ invitation_id: invitation.id }), 'CONFLICT', 'invitation_closed');
		expect(await a.groups.invite({ group_id: groupId, emails: [person.email] })).toEqual([{ email: person.email, status: 'already_member', signup_path: null }]);
	});

	it('decline, revoke and expiry close an invitation without membership', async () => {
		const a = callerFor(t.db, admin);
		const decliner = await makeUser(t.db);
		const revoked = await makeUser(t.db);
		const late = await makeUser(t.db);
		await a.groups.invite({ group_id: groupId, emails: [decliner.email, revoked.email, late.email] });

		const [d] = await callerFor(t.db, decliner).groups.myInvitations();
		expect(await callerFor(t.db, decliner).groups.declineInvitation({ invitation_id: d.id })).toEqual({ ok: true });
		expect(await callerFor(t.db, decliner).groups.mine()).toEqual([]);

		const [r] = await callerFor(t.db, revoked).groups.myInvitations();
		await expectCode(callerFor(t.db, await makeUser(t.db)).groups.revokeInvitation({ group_id: groupId, invitation_id: r.id }), 'FORBIDDEN');
		await a.groups.revokeInvitation({ group_id: groupId, invitation_id: r.id });
		expect(await callerFor(t.db, revoked).groups.myInvitations()).toEqual([]);
		await expectCode(callerFor(t.db, revoked).groups.acceptInvitation({ invitation_id: r.id }), 'CONFLICT', 'invitation_closed');
		await expectCode(a.groups.revokeInvitation({ group_id: groupId, invitation_id: r.id }), 'NOT_FOUND', 'invitation_not_found');

		const [l] = await callerFor(t.db, late).groups.myInvitations();
		await t.db.update(groupInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(groupInvitations.id, l.id));
		expect(await callerFor(t.db, late).groups.myInvitations()).toEqual([]);
		expect((await a.groups.invitations({ group_id: groupId })).find((i) => i.id === l.id)?.status).toBe('expired');
		await expectCode(callerFor(t.db, late).groups.acceptInvitation({ invitation_id: l.id }), 'CONFLICT', 'invitation_expired');
		// An expired invitation can be renewed by inviting again.
		expect((await a.groups.invite({ group_id: groupId, emails: [late.email] }))[0].status).toBe('invited');

		const members = (await a.groups.members({ group_id: groupId })).map((m) => m.user_id);
		for (const u of [decliner, revoked, late]) expect(members).not.toContain(u.id);
	});

	it('an unknown email gets a sign-up link; registering through it with that email lands the invitation', async () => {
		const a = callerFor(t.db, admin);
		const email = uniqueEmail('newcomer');
		const bad = 'not-an-email';
		const rows = await a.groups.invite({ group_id: groupId, emails: [email, bad] });
		expect(rows[0]).toMatchObject({ email, status: 'signup_link' });
		expect(rows[0].signup_path).toMatch(/^\/register\?invitation=[A-Za-z0-9_-]{40,}$/);
		expect(rows[1]).toEqual({ email: bad, status: 'invalid', signup_path: null });
		expect((await a.groups.invite({ group_id: groupId, emails: [email] }))[0]).toEqual({ email, status: 'already_invited', signup_path: null });
		const token = tokenOf(rows[0].signup_path);

		// The link does not work for another email.
		const anon = callerFor(t.db, null);
		const intruder = await anon.auth.register({ email: uniqueEmail('intruder'), password: 'test-pass-123', name: 'Intruder', invitation: token });
		expect(await callerFor(t.db, { ...intruder.user }).groups.myInvitations()).toEqual([]);

		const signed = await anon.auth.register({ email, password: 'test-pass-123', name: 'Newcomer', invitation: token });
		const me = callerFor(t.db, { ...signed.user });
		const [invitation] = await me.groups.myInvitations();
		expect(invitation).toMatchObject({ group_id: groupId });
		expect(await me.groups.mine()).toEqual([]);
		await me.groups.acceptInvitation({ invitation_id: invitation.id });
		expect((await me.groups.mine()).map((g) => g.id)).toEqual([groupId]);
		await expectCode(anon.auth.register({ email: uniqueEmail('x'), password: 'test-pass-123', name: 'X', invitation: 'bad token!' }), 'BAD_REQUEST');
	});

	it('someone invited before registering (without the link) receives the invitation when invited again', async () => {
		const a = callerFor(t.db, admin);
		const email = uniqueEmail('later');
		expect((await a.groups.invite({ group_id: groupId, emails: [email] }))[0].status).toBe('signup_link');
		const person = await makeUser(t.db, { email });
		expect(await callerFor(t.db, person).groups.myInvitations()).toEqual([]);
		expect((await a.groups.invite({ group_id: groupId, emails: [email] }))[0].status).toBe('invited');
		expect(await callerFor(t.db, person).groups.myInvitations()).toHaveLength(1);
	});

	it('only the group admin and platform admins invite or list invitations', async () => {
		const stranger = await makeUser(t.db);
		await expectCode(callerFor(t.db, stranger).groups.invite({ group_id: groupId, emails: [stranger.email] }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, stranger).groups.invitations({ group_id: groupId }), 'FORBIDDEN');
		await expectCode(callerFor(t.db, null).groups.myInvitations(), 'UNAUTHORIZED');
		await expectCode(callerFor(t.db, admin).groups.invite({ group_id: 999999, emails: ['a@b.co'] }), 'NOT_FOUND', 'group_not_found');
		expect(await callerFor(t.db, platform).groups.invitations({ group_id: groupId })).toBeInstanceOf(Array);
	});
});
