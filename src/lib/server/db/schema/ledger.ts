import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { enterprises } from './enterprises';
import { GRANT_SOURCES } from '../../../schemas/money';
import { inList } from './in-list';

/** A wallet belongs to one user or to one enterprise (an enterprise). */
export const walletOwnerTypes = ['user', 'enterprise'] as const;
export type WalletOwnerType = (typeof walletOwnerTypes)[number];

export const wallets = pgTable(
	'wallets',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		ownerType: text('owner_type', { enum: walletOwnerTypes }).notNull(),
		userId: integer('user_id').references(() => users.id, { onDelete: 'restrict' }),
		enterpriseId: integer('enterprise_id').references(() => enterprises.id, { onDelete: 'restrict' }),
		/** Always equal to the sum of this wallet's ledger entries. */
		balance: bigint('balance', { mode: 'number' }).notNull().default(0),
		/**
		 * Credits of this wallet's active holds, expired ones the expiry job has not marked yet
		 * included. Kept by the holds triggers (drizzle/0024_wallet_held.sql), never written directly.
		 */
		held: bigint('held', { mode: 'number' }).notNull().default(0),
		/**
		 * Low-balance alert threshold in credits (0 = off). The database default is
		 * alert_default_threshold(), the instance default that boot stores from LOW_BALANCE_CREDITS.
		 */
		alertThreshold: bigint('alert_threshold', { mode: 'number' }).notNull().default(0),
		/** The owner chose the threshold; false follows the instance default. */
		alertThresholdSet: boolean('alert_threshold_set').notNull().default(false),
		/** The next downward crossing of the threshold raises an alert (the wallets trigger keeps it). */
		lowArmed: boolean('low_armed').notNull().default(true),
		/** The same for the floor: 0 for a user (arrears), ENTERPRISE_EMPTY_CREDITS for an enterprise. */
		floorArmed: boolean('floor_armed').notNull().default(true),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('wallets_user_key').on(t.userId),
		uniqueIndex('wallets_enterprise_key').on(t.enterpriseId),
		check('wallets_held', sql`${t.held} >= 0`),
		check('wallets_owner_type', sql`${t.ownerType} in (${inList(walletOwnerTypes)})`),
		check(
			'wallets_one_owner',
			sql`(${t.ownerType} = 'user' and ${t.userId} is not null and ${t.enterpriseId} is null) or (${t.ownerType} = 'enterprise' and ${t.enterpriseId} is not null and ${t.userId} is null)`
		)
	]
);

export const entryKinds = ['recharge', 'bonus', 'welcome', 'usage', 'adjustment', 'refund', 'grant', 'expiry'] as const;
export type EntryKind = (typeof entryKinds)[number];

/** The only kind of entry that may take a wallet below zero (arrears); the ledger_entries_overdraft check says so. */
export const overdraftKinds = ['usage'] as const;

export const grantSources = GRANT_SOURCES;
export type GrantSource = (typeof grantSources)[number];

/** Credits count in the wallet's balance; token and image allowances are spent before it (ledger/allowances.ts) and are not money. */
export const grantUnits = ['credits', 'tokens', 'images'] as const;
export type GrantUnit = (typeof grantUnits)[number];

/**
 * Credit given to a wallet apart from its regular balance. `remaining` always equals the sum of the
 * ledger entries that name the grant; the wallet's balance includes it (regular = balance − Σ remaining).
 */
export const creditGrants = pgTable(
	'credit_grants',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		source: text('source', { enum: grantSources }).notNull(),
		unit: text('unit', { enum: grantUnits }).notNull().default('credits'),
		original: bigint('original', { mode: 'number' }).notNull(),
		remaining: bigint('remaining', { mode: 'number' }).notNull().default(0),
		/** Lower numbers are spent first. */
		priority: integer('priority').notNull().default(10),
		effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		memo: text('memo'),
		/** Set on grants issued since plans: a retry with the same key finds this grant. */
		idempotencyKey: text('idempotency_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('credit_grants_idempotency_key').on(t.idempotencyKey),
		index('credit_grants_wallet_idx').on(t.walletId),
		index('credit_grants_expiry_idx').on(t.expiresAt).where(sql`${t.remaining} > 0`),
		check('credit_grants_source', sql`${t.source} in (${inList(grantSources)})`),
		check('credit_grants_unit', sql`${t.unit} in (${inList(grantUnits)})`),
		check('credit_grants_amounts', sql`${t.original} > 0 and ${t.remaining} >= 0 and ${t.remaining} <= ${t.original}`),
		check('credit_grants_window', sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.effectiveFrom}`)
	]
);

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
		/** The grant this entry moves; null for the regular balance. */
		grantId: bigint('grant_id', { mode: 'number' }).references(() => creditGrants.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('ledger_entries_idempotency_key').on(t.idempotencyKey),
		index('ledger_entries_wallet_idx').on(t.walletId, t.id),
		index('ledger_entries_grant_idx').on(t.grantId).where(sql`${t.grantId} is not null`),
		check('ledger_entries_kind', sql`${t.kind} in (${inList(entryKinds)})`),
		check('ledger_entries_amount', sql`${t.amount} <> 0`),
		// A debit may leave the wallet below zero only if it is usage, or if it moves a grant (bounded by
		// the grant's remaining, credit_grants_amounts): the regular balance alone goes into arrears.
		check(
			'ledger_entries_overdraft',
			sql`${t.amount} > 0 or ${t.balanceAfter} >= 0 or ${t.kind} in (${inList(overdraftKinds)}) or ${t.grantId} is not null`
		)
	]
);
