import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { groups } from './groups';

export const wallets = pgTable(
	'wallets',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		ownerType: text('owner_type', { enum: ['user', 'group'] }).notNull(),
		userId: integer('user_id').references(() => users.id, { onDelete: 'restrict' }),
		groupId: integer('group_id').references(() => groups.id, { onDelete: 'restrict' }),
		/** Always equal to the sum of this wallet's ledger entries. */
		balance: bigint('balance', { mode: 'number' }).notNull().default(0),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('wallets_user_key').on(t.userId),
		uniqueIndex('wallets_group_key').on(t.groupId),
		check(
			'wallets_one_owner',
			sql`(${t.ownerType} = 'user' and ${t.userId} is not null and ${t.groupId} is null) or (${t.ownerType} = 'group' and ${t.groupId} is not null and ${t.userId} is null)`
		)
	]
);

export const entryKinds = ['recharge', 'bonus', 'welcome', 'usage', 'adjustment', 'refund'] as const;
export type EntryKind = (typeof entryKinds)[number];

/** Append-only: a trigger refuses UPDATE and DELETE (see drizzle/0001_ledger_immutable.sql). */
export const ledgerEntries = pgTable(
	'ledger_entries',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		amount: bigint('amount', { mode: 'number' }).notNull(),
		balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
		kind: text('kind', { enum: entryKinds }).notNull(),
		idempotencyKey: text('idempotency_key').notNull(),
		/** What caused it: 'order:12', 'usage:req-abc', 'adjustment', ... */
		reference: text('reference'),
		memo: text('memo'),
		actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('ledger_entries_idempotency_key').on(t.idempotencyKey),
		index('ledger_entries_wallet_idx').on(t.walletId, t.id)
	]
);
