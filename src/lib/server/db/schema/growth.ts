import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { creditGrants, wallets } from './ledger';
import { packages } from './plans';
import { orders } from './recharge';
import { inList } from './in-list';
import { codeBatchKinds as CODE_BATCH_KINDS } from '../../../schemas/codes';

/** What a code of a batch gives: credits, or a package activated as if bought (plans/packages.ts). */
export const codeBatchKinds = CODE_BATCH_KINDS;
export type CodeBatchKind = (typeof codeBatchKinds)[number];

/** A batch of redemption codes made at once by an admin; its codes share what they give and their limits. */
export const codeBatches = pgTable(
	'code_batches',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		name: text('name').notNull(),
		kind: text('kind', { enum: codeBatchKinds }).notNull().default('credits'),
		/** kind credits: what one use gives. */
		credits: bigint('credits', { mode: 'number' }),
		/** kind package: the package one use activates (packages are never edited, so this is what it gives). */
		packageId: integer('package_id').references(() => packages.id),
		/** The first instant the codes no longer redeem; also the expiry of the credit grants a credits batch gives. */
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		usesPerCode: integer('uses_per_code').notNull().default(1),
		/** How many uses of this batch's codes one account may make, across its codes. */
		usesPerUser: integer('uses_per_user').notNull().default(1),
		codeCount: integer('code_count').notNull(),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('code_batches_kind', sql`${t.kind} in (${inList(codeBatchKinds)})`),
		check(
			'code_batches_gives',
			sql`(${t.kind} = 'credits' and ${t.credits} > 0 and ${t.packageId} is null) or (${t.kind} = 'package' and ${t.packageId} is not null and ${t.credits} is null)`
		),
		check('code_batches_limits', sql`${t.usesPerCode} >= 1 and ${t.usesPerUser} >= 1 and ${t.codeCount} >= 1`)
	]
);

/** One code: only its hash (SHA-256 of the normalised code) and a short prefix to recognise it are stored. */
export const redemptionCodes = pgTable(
	'redemption_codes',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		batchId: integer('batch_id')
			.notNull()
			.references(() => codeBatches.id),
		hash: text('hash').notNull(),
		prefix: text('prefix').notNull(),
		/** Copied from the batch, so the check below bounds the uses whoever writes. */
		maxUses: integer('max_uses').notNull(),
		uses: integer('uses').notNull().default(0),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('redemption_codes_hash_key').on(t.hash),
		index('redemption_codes_batch_idx').on(t.batchId),
		check('redemption_codes_uses', sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxUses}`)
	]
);

/** Each use of a code: who, when, and the grant it gave (for a package, the grant of its amount; the bonus grant is beside it). */
export const redemptions = pgTable(
	'redemptions',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		codeId: integer('code_id')
			.notNull()
			.references(() => redemptionCodes.id),
		batchId: integer('batch_id')
			.notNull()
			.references(() => codeBatches.id),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		/** The user's n-th use of this batch (1-based); unique, so racing uses cannot share a number. */
		userUse: integer('user_use').notNull(),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		/** Credits added to the balance (a package of tokens or images adds none). */
		credits: bigint('credits', { mode: 'number' }).notNull(),
		/** The package this use activated, for a package batch. */
		packageId: integer('package_id').references(() => packages.id),
		grantId: bigint('grant_id', { mode: 'number' }).references(() => creditGrants.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('redemptions_user_use_key').on(t.batchId, t.userId, t.userUse),
		index('redemptions_code_idx').on(t.codeId),
		index('redemptions_user_idx').on(t.userId, t.createdAt),
		check('redemptions_user_use', sql`${t.userUse} >= 1`)
	]
);

/** A user's invite link and whether their rebates are switched off. Made when first needed. */
export const inviters = pgTable(
	'inviters',
	{
		userId: integer('user_id')
			.primaryKey()
			.references(() => users.id, { onDelete: 'cascade' }),
		code: text('code').notNull(),
		rebatesDisabledAt: timestamp('rebates_disabled_at', { withTimezone: true }),
		rebatesDisabledBy: integer('rebates_disabled_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('inviters_code_key').on(t.code)]
);

/** Who invited whom: one row per invitee (the key), never oneself; a trigger refuses changes. */
export const referrals = pgTable(
	'referrals',
	{
		inviteeId: integer('invitee_id')
			.primaryKey()
			.references(() => users.id, { onDelete: 'cascade' }),
		inviterId: integer('inviter_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('referrals_inviter_idx').on(t.inviterId), check('referrals_not_self', sql`${t.inviteeId} <> ${t.inviterId}`)]
);

export const rebateStatuses = ['earned', 'reversed'] as const;

/** One rebate per paid order (the unique key); a refund of the order reverses it. */
export const rebates = pgTable(
	'rebates',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id),
		inviterId: integer('inviter_id')
			.notNull()
			.references(() => users.id),
		inviteeId: integer('invitee_id')
			.notNull()
			.references(() => users.id),
		/** Credits the invitee paid (the order's amount, never its bonus). */
		paidAmount: bigint('paid_amount', { mode: 'number' }).notNull(),
		rateBp: integer('rate_bp').notNull(),
		amount: bigint('amount', { mode: 'number' }).notNull(),
		grantId: bigint('grant_id', { mode: 'number' })
			.notNull()
			.references(() => creditGrants.id),
		status: text('status', { enum: rebateStatuses }).notNull().default('earned'),
		/** On reversal: what was taken back from the grant, and what the inviter had spent and is written off. */
		reclaimedAmount: bigint('reclaimed_amount', { mode: 'number' }).notNull().default(0),
		writtenOffAmount: bigint('written_off_amount', { mode: 'number' }).notNull().default(0),
		reversedAt: timestamp('reversed_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('rebates_order_key').on(t.orderId),
		index('rebates_inviter_idx').on(t.inviterId, t.createdAt),
		check('rebates_status', sql`${t.status} in (${inList(rebateStatuses)})`),
		check('rebates_amount', sql`${t.amount} > 0 and ${t.paidAmount} > 0`),
		check(
			'rebates_reversal',
			sql`(${t.status} = 'earned' and ${t.reclaimedAmount} = 0 and ${t.writtenOffAmount} = 0 and ${t.reversedAt} is null) or (${t.status} = 'reversed' and ${t.reclaimedAmount} >= 0 and ${t.writtenOffAmount} >= 0 and ${t.reclaimedAmount} + ${t.writtenOffAmount} = ${t.amount} and ${t.reversedAt} is not null)`
		)
	]
);
