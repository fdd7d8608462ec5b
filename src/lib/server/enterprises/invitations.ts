import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enterpriseInvitations, enterprises, memberships, users } from '../db/schema';
import { requireEnterprise } from './enterprises';
import { addMember, type Membership } from './membership';
import { conflict, notFound } from '../errors';

export const INVITATION_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type InviteStatus = 'invited' | 'already_member' | 'already_invited' | 'signup_link' | 'invalid';
export interface InviteRow {
	email: string;
	status: InviteStatus;
	/** Only for `signup_link`: the token for the registration URL, shown once to the inviting admin. */
	signupToken: string | null;
}

export function signupPath(token: string): string {
	return `/register?invitation=${encodeURIComponent(token)}`;
}

function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/**
 * Invites each distinct email (input order). A registered email gets an in-app invitation; an
 * unknown one an invitation reached through a sign-up link. Members and pending invitees are
 * reported as they are; nothing is created for them.
 */
export async function inviteByEmail(db: Db, enterpriseId: number, rawEmails: string[], invitedBy: number, now = new Date()): Promise<InviteRow[]> {
	await requireEnterprise(db, enterpriseId);
	const emails = [...new Set(rawEmails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))];
	const valid = emails.filter((e) => EMAIL_SHAPE.test(e));
	const rows = new Map<string, InviteRow>();
	for (const email of emails) if (!EMAIL_SHAPE.test(email)) rows.set(email, { email, status: 'invalid', signupToken: null });
	if (valid.length > 0) {
		await db.transaction(async (tx) => {
			const known = new Map(
				(await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, valid))).map((u) => [u.email, u.id])
			);
			const memberIds = new Set(
				known.size === 0
					? []
					: (
							await tx
								.select({ userId: memberships.userId })
								.from(memberships)
								.where(and(eq(memberships.enterpriseId, enterpriseId), eq(memberships.isActive, true), inArray(memberships.userId, [...known.values()])))
						).map((m) => m.userId)
			);
			await tx
				.update(enterpriseInvitations)
				.set({ status: 'expired' })
				.where(and(eq(enterpriseInvitations.enterpriseId, enterpriseId), eq(enterpriseInvitations.status, 'pending'), lte(enterpriseInvitations.expiresAt, now), inArray(enterpriseInvitations.email, valid)));
			const pending = new Map(
				(
					await tx
						.select({ id: enterpriseInvitations.id, email: enterpriseInvitations.email, userId: enterpriseInvitations.userId })
						.from(enterpriseInvitations)
						.where(and(eq(enterpriseInvitations.enterpriseId, enterpriseId), eq(enterpriseInvitations.status, 'pending'), inArray(enterpriseInvitations.email, valid)))
				).map((p) => [p.email, p])
			);
			const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
			for (const email of valid) {
				const userId = known.get(email) ?? null;
				if (userId !== null && memberIds.has(userId)) {
					rows.set(email, { email, status: 'already_member', signupToken: null });
					continue;
				}
				const existing = pending.get(email);
				if (existing) {
					// The invitee registered without the link since: the invitation now reaches their account.
					if (existing.userId === null && userId !== null) {
						await tx.update(enterpriseInvitations).set({ userId }).where(eq(enterpriseInvitations.id, existing.id));
						rows.set(email, { email, status: 'invited', signupToken: null });
					} else rows.set(email, { email, status: 'already_invited', signupToken: null });
					continue;
				}
				const token = userId === null ? randomBytes(32).toString('base64url') : null;
				const [created] = await tx
					.insert(enterpriseInvitations)
					.values({ enterpriseId, email, userId, invitedBy, tokenHash: token === null ? null : hashToken(token), createdAt: now, expiresAt })
					.onConflictDoNothing()
					.returning({ id: enterpriseInvitations.id });
				if (!created) rows.set(email, { email, status: 'already_invited', signupToken: null });
				else rows.set(email, { email, status: token === null ? 'invited' : 'signup_link', signupToken: token });
			}
		});
	}
	return emails.map((e) => rows.get(e)!);
}

export interface PendingInvitation {
	id: number;
	email: string;
	status: 'pending' | 'expired';
	createdAt: Date;
	expiresAt: Date;
}

/** What the enterprise admin sees of the people they invited: the email they typed and the state. */
export async function enterpriseInvitationList(db: Db, enterpriseId: number, now = new Date()): Promise<PendingInvitation[]> {
	const rows = await db
		.select({ id: enterpriseInvitations.id, email: enterpriseInvitations.email, createdAt: enterpriseInvitations.createdAt, expiresAt: enterpriseInvitations.expiresAt })
		.from(enterpriseInvitations)
		.where(and(eq(enterpriseInvitations.enterpriseId, enterpriseId), eq(enterpriseInvitations.status, 'pending')))
		.orderBy(asc(enterpriseInvitations.createdAt), asc(enterpriseInvitations.id));
	return rows.map((r) => ({ ...r, status: r.expiresAt > now ? 'pending' : 'expired' }));
}

export async function revokeInvitation(db: Db, enterpriseId: number, invitationId: number, now = new Date()): Promise<void> {
	const [row] = await db
		.update(enterpriseInvitations)
		.set({ status: 'revoked', answeredAt: now })
		.where(and(eq(enterpriseInvitations.id, invitationId), eq(enterpriseInvitations.enterpriseId, enterpriseId), eq(enterpriseInvitations.status, 'pending')))
		.returning({ id: enterpriseInvitations.id });
	if (!row) throw notFound('invitation_not_found');
}

export interface MyInvitation {
	id: number;
	enterpriseId: number;
	enterpriseName: string;
	enterpriseDescription: string;
	invitedByName: string | null;
	expiresAt: Date;
}

/** The caller's open invitations, oldest first. */
export async function myInvitations(db: Db, userId: number, now = new Date()): Promise<MyInvitation[]> {
	return db
		.select({
			id: enterpriseInvitations.id,
			enterpriseId: enterprises.id,
			enterpriseName: enterprises.name,
			enterpriseDescription: enterprises.description,
			invitedByName: users.name,
			expiresAt: enterpriseInvitations.expiresAt
		})
		.from(enterpriseInvitations)
		.innerJoin(enterprises, eq(enterprises.id, enterpriseInvitations.enterpriseId))
		.leftJoin(users, eq(users.id, enterpriseInvitations.invitedBy))
		.where(and(eq(enterpriseInvitations.userId, userId), eq(enterpriseInvitations.status, 'pending'), gt(enterpriseInvitations.expiresAt, now)))
		.orderBy(asc(enterpriseInvitations.createdAt), asc(enterpriseInvitations.id));
}

/**
 * Accepting makes the caller a member from now on (so last in join order); declining closes the
 * invitation. Someone else's invitation is NOT_FOUND, as if it did not exist.
 */
export async function answerInvitation(
	db: Db,
	userId: number,
	invitationId: number,
	answer: 'accept' | 'decline',
	now = new Date()
): Promise<{ enterpriseId: number; membership: Membership | null }> {
	return db.transaction(async (tx) => {
		const [inv] = await tx
			.select()
			.from(enterpriseInvitations)
			.where(and(eq(enterpriseInvitations.id, invitationId), eq(enterpriseInvitations.userId, userId)))
			.for('update');
		if (!inv) throw notFound('invitation_not_found');
		if (inv.status !== 'pending') throw conflict('invitation_closed');
		if (inv.expiresAt <= now) throw conflict('invitation_expired');
		await tx
			.update(enterpriseInvitations)
			.set({ status: answer === 'accept' ? 'accepted' : 'declined', answeredAt: now })
			.where(eq(enterpriseInvitations.id, inv.id));
		if (answer === 'decline') return { enterpriseId: inv.enterpriseId, membership: null };
		const { membership } = await addMember(tx, inv.enterpriseId, userId, inv.invitedBy);
		return { enterpriseId: inv.enterpriseId, membership };
	});
}

/** After registering through a sign-up link: the invitation for that email reaches the new account. */
export async function attachInvitation(db: Db, token: string, user: { id: number; email: string }, now = new Date()): Promise<boolean> {
	const rows = await db
		.update(enterpriseInvitations)
		.set({ userId: user.id })
		.where(
			and(
				eq(enterpriseInvitations.tokenHash, hashToken(token)),
				eq(enterpriseInvitations.email, user.email.toLowerCase()),
				isNull(enterpriseInvitations.userId),
				eq(enterpriseInvitations.status, 'pending'),
				gt(enterpriseInvitations.expiresAt, now)
			)
		)
		.returning({ id: enterpriseInvitations.id });
	return rows.length > 0;
}

/** The invited email behind a sign-up link, to fill in the registration form; null when the link is no longer good. */
export async function invitationEmail(db: Db, token: string, now = new Date()): Promise<string | null> {
	const [row] = await db
		.select({ email: enterpriseInvitations.email })
		.from(enterpriseInvitations)
		.where(and(eq(enterpriseInvitations.tokenHash, hashToken(token)), eq(enterpriseInvitations.status, 'pending'), isNull(enterpriseInvitations.userId), gt(enterpriseInvitations.expiresAt, now)));
	return row?.email ?? null;
}

