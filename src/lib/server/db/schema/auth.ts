import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './in-list';

/** How a platform's user signs in on that platform (external users, POST /api/user/external/sync). */
export const loginTypes = ['wechat', 'alipay', 'sms', 'email'] as const;
export const roles = ['user', 'admin', 'service'] as const;
export const locales = ['zh-CN', 'en'] as const;

export const users = pgTable(
	'users',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash'),
		/** 'service': a machine account that owns gateway keys; it has no password and never signs in. */
		role: text('role', { enum: roles }).notNull().default('user'),
		locale: text('locale', { enum: locales }).notNull().default('zh-CN'),
		/** A platform's own id for this user (the API's external_user_id); null for Tally's own accounts. */
		externalId: text('external_id'),
		/** External users only: what the platform told us about them. */
		loginType: text('login_type', { enum: loginTypes }),
		contactEmail: text('contact_email'),
		phone: text('phone'),
		wechatOpenid: text('wechat_openid'),
		wechatUnionid: text('wechat_unionid'),
		alipayUserid: text('alipay_userid'),
		externalData: jsonb('external_data'),
		/** Set by a platform admin: the account cannot sign in, its sessions are gone and its API keys answer 401. */
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('users_email_key').on(t.email),
		uniqueIndex('users_external_id_key').on(t.externalId).where(sql`${t.externalId} is not null`),
		check('users_role', sql`${t.role} in (${inList(roles)})`),
		check('users_locale', sql`${t.locale} in (${inList(locales)})`),
		check('users_login_type', sql`${t.loginType} is null or ${t.loginType} in (${inList(loginTypes)})`)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		/** sha256 of the token the browser holds; the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const apiKeys = pgTable(
	'api_keys',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		prefix: text('prefix').notNull(),
		secretHash: text('secret_hash').notNull(),
		scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('api_keys_secret_hash_key').on(t.secretHash), index('api_keys_user_idx').on(t.userId)]
);

export const loginAttempts = pgTable(
	'login_attempts',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		/** 'email:<address>' or 'ip:<address>' */
		subject: text('subject').notNull(),
		succeeded: integer('succeeded').notNull().default(0),
		attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('login_attempts_subject_idx').on(t.subject, t.attemptedAt)]
);
