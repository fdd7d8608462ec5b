import { z } from 'zod';
import { pageLimit, rowId } from './fields';
import { isoDay } from './dashboard';

/**
 * The external users API (`/api/user/external/...`): a platform that signs its own users in
 * calls Tally server to server, naming them by its own id.
 */

export const loginTypeSchema = z.enum(['wechat', 'alipay', 'sms', 'email']);

/** A platform's user id: 1–100 of letters, digits and `_ . : @ -` (it travels in URL paths). */
export const externalUserId = z
	.string()
	.min(1, { message: 'external_user_id_required' })
	.max(100, { message: 'external_user_id_too_long' })
	.regex(/^[A-Za-z0-9_.:@-]+$/, { message: 'external_user_id_format' });

/** Largest `external_data` kept, as JSON text. */
export const MAX_EXTERNAL_DATA_BYTES = 16 * 1024;

const externalData = z
	.record(z.string(), z.unknown())
	.refine((v) => new TextEncoder().encode(JSON.stringify(v)).length <= MAX_EXTERNAL_DATA_BYTES, { message: 'external_data_too_large' });

const optionalText = (max: number) => z.string().trim().max(max).optional();

export const syncInput = z.object({
	external_user_id: externalUserId,
	email: z.email({ message: 'invalid_email' }).max(254).optional(),
	name: z.string().trim().min(1).max(100).optional(),
	phone: z
		.string()
		.trim()
		.regex(/^\+?[0-9 -]{3,20}$/, { message: 'invalid_phone' })
		.optional(),
	wechat_openid: optionalText(100),
	wechat_unionid: optionalText(100),
	alipay_userid: optionalText(100),
	login_type: loginTypeSchema,
	external_data: externalData.optional()
});
export type SyncInput = z.infer<typeof syncInput>;

/** US dollars with at most two decimals, more than zero, as JSON number or text (`9.99`, `"9.99"`). */
export const amountUsd = z
	.union([z.number(), z.string()])
	.transform((v) => String(v).trim())
	.pipe(
		z
			.string()
			.regex(/^\d{1,9}(\.\d{1,2})?$/, { message: 'amount_format' })
			.refine((s) => /[1-9]/.test(s), { message: 'amount_must_be_positive' })
	);

export const topupInput = z.object({
	external_user_id: externalUserId,
	amount_usd: amountUsd,
	payment_id: z.string().trim().min(1).max(200)
});

export const tokenInput = z.object({
	external_user_id: externalUserId,
	name: z.string().trim().min(1).max(60).optional(),
	expires_in_days: z.number().int().min(1).max(3650).default(365)
});

export const externalUserInput = z.object({ external_user_id: externalUserId });

const rangeInOrder = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;

export const statsInput = z
	.object({ external_user_id: externalUserId, from: isoDay.optional(), to: isoDay.optional() })
	.refine(rangeInOrder, { message: 'date_range_reversed', path: ['to'] });

export const logsInput = z
	.object({
		external_user_id: externalUserId,
		from: isoDay.optional(),
		to: isoDay.optional(),
		model: z.string().trim().min(1).max(100).optional(),
		/** The `next_cursor` of the previous page. */
		cursor: rowId.optional(),
		limit: pageLimit(500, 50)
	})
	.refine(rangeInOrder, { message: 'date_range_reversed', path: ['to'] });

export const featuredModelsInput = z.object({
	models: z.array(z.string().trim().min(1).max(100)).max(20)
});
