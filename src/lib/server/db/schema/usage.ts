import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { apiKeys, users } from './auth';
import { enterprises } from './enterprises';
import { wallets } from './ledger';
import { inList } from './in-list';

/** text: billed per token; image: billed per image (and tokens, if priced). */
export const modelTypes = ['text', 'image'] as const;
export type ModelType = (typeof modelTypes)[number];

export const models = pgTable(
	'models',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		code: text('code').notNull(),
		provider: text('provider').notNull(),
		displayName: text('display_name').notNull(),
		type: text('type', { enum: modelTypes }).notNull().default('text'),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('models_code_key').on(t.code), check('models_type', sql`${t.type} in (${inList(modelTypes)})`)]
);

/** Prices are credits per 1,000,000 tokens; a change is a new row, history is never rewritten. */
export const modelPrices = pgTable(
	'model_prices',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		modelId: integer('model_id')
			.notNull()
			.references(() => models.id, { onDelete: 'cascade' }),
		inputPrice: bigint('input_price', { mode: 'number' }).notNull(),
		outputPrice: bigint('output_price', { mode: 'number' }).notNull(),
		/** Credits per image; null = this price row does not bill images (an event with images is refused). */
		imagePrice: bigint('image_price', { mode: 'number' }),
		/** The least one request costs (requirement doc llm-billing-quota's minChargeUnit); 0 = none. */
		minCharge: bigint('min_charge', { mode: 'number' }).notNull().default(0),
		effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull().defaultNow(),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('model_prices_model_from_key').on(t.modelId, t.effectiveFrom),
		check('model_prices_non_negative', sql`${t.inputPrice} >= 0 and ${t.outputPrice} >= 0 and coalesce(${t.imagePrice}, 0) >= 0 and ${t.minCharge} >= 0`)
	]
);

/** token_usage of requirement doc token-balance-arrears. */
export const usageRecords = pgTable(
	'usage_records',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		requestId: text('request_id').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		apiKeyId: integer('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
		model: text('model').notNull(),
		inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
		outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
		images: bigint('images', { mode: 'number' }).notNull().default(0),
		cost: bigint('cost', { mode: 'number' }).notNull(),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		enterpriseId: integer('enterprise_id').references(() => enterprises.id),
		subscriptionUsed: bigint('subscription_used', { mode: 'number' }).notNull().default(0),
		regularUsed: bigint('regular_used', { mode: 'number' }).notNull(),
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		metadata: jsonb('metadata'),
		/** SHA-256 of the event as reported (usage/payload-hash.ts); a repeat of the request id must match it. Null on rows from before it existed. */
		payloadHash: text('payload_hash')
	},
	(t) => [
		uniqueIndex('usage_records_request_id_key').on(t.requestId),
		index('usage_records_user_time_idx').on(t.userId, t.occurredAt),
		check(
			'usage_records_non_negative',
			sql`${t.cost} >= 0 and ${t.inputTokens} >= 0 and ${t.outputTokens} >= 0 and ${t.subscriptionUsed} >= 0 and ${t.regularUsed} >= 0`
		),
		check('usage_records_split', sql`${t.subscriptionUsed} + ${t.regularUsed} = ${t.cost}`)
	]
);

/** Daily roll-up kept in the settlement transaction so dashboards never scan usage_records. */
export const usageDaily = pgTable(
	'usage_daily',
	{
		day: date('day', { mode: 'string' }).notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		walletId: integer('wallet_id')
			.notNull()
			.references(() => wallets.id),
		model: text('model').notNull(),
		requests: bigint('requests', { mode: 'number' }).notNull().default(0),
		inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
		outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
		cost: bigint('cost', { mode: 'number' }).notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.day, t.model, t.walletId] }),
		index('usage_daily_wallet_day_idx').on(t.walletId, t.day)
	]
);
