import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { enterprises } from './enterprises';
import { inList } from './in-list';

export const invitationStatuses = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;

/**
 * An enterprise admin's invitation by email. Membership begins only when the invitee accepts.
 * `user_id` is the account that may answer: set at once for a registered email, or when the
 * invitee registers through the sign-up link (whose token is stored only as a sha256 hash).
 */
export const enterpriseInvitations = pgTable(
	'enterprise_invitations',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		enterpriseId: integer('enterprise_id')
			.notNull()
			.references(() => enterprises.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
		invitedBy: integer('invited_by').references(() => users.id, { onDelete: 'set null' }),
		tokenHash: text('token_hash'),
		status: text('status', { enum: invitationStatuses }).notNull().default('pending'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('enterprise_invitations_one_pending_key').on(t.enterpriseId, t.email).where(sql`${t.status} = 'pending'`),
		uniqueIndex('enterprise_invitations_token_key').on(t.tokenHash),
		index('enterprise_invitations_user_idx').on(t.userId, t.status),
		check('enterprise_invitations_status_check', sql`${t.status} in (${inList(invitationStatuses)})`)
	]
);
