import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { users } from './auth';

export const enterprises = pgTable('enterprises', {
	id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
	name: text('name').notNull(),
	description: text('description').notNull().default(''),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

export const enterpriseAdmins = pgTable(
	'enterprise_admins',
	{
		enterpriseId: integer('enterprise_id')
			.notNull()
			.references(() => enterprises.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.enterpriseId, t.userId] })]
);

/** user_group_membership of requirement doc multi-group-credit-deduction: rows are never deleted, leaving sets is_active false. */
export const memberships = pgTable(
	'memberships',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		enterpriseId: integer('enterprise_id')
			.notNull()
			.references(() => enterprises.id, { onDelete: 'cascade' }),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
		isActive: boolean('is_active').notNull().default(true),
		leftAt: timestamp('left_at', { withTimezone: true }),
		addedBy: integer('added_by').references(() => users.id, { onDelete: 'set null' }),
		/** Set by the member to reorder their enterprises; null keeps join order. */
		priority: integer('priority'),
		/** The member paused this enterprise's payment for themself. */
		suspended: boolean('suspended').notNull().default(false),
		/** Set by the enterprise admin; null means no limit. */
		monthlyLimit: bigint('monthly_limit', { mode: 'number' })
	},
	(t) => [
		uniqueIndex('memberships_one_active_key').on(t.userId, t.enterpriseId).where(sql`${t.isActive}`),
		index('memberships_user_order_idx').on(t.userId, t.joinedAt, t.id)
	]
);
