import { z } from 'zod';
import { loginTypes } from '../../../db/schema';
import type { ExternalUser } from '../../../external/users';

/** A platform's user as the external-users API answers it (sync and get). */
export const userOutput = z.object({
	external_user_id: z.string(),
	user_id: z.number().int(),
	name: z.string(),
	email: z.string().nullable(),
	phone: z.string().nullable(),
	wechat_openid: z.string().nullable(),
	wechat_unionid: z.string().nullable(),
	alipay_userid: z.string().nullable(),
	login_type: z.enum(loginTypes).nullable(),
	external_data: z.record(z.string(), z.unknown()).nullable(),
	created_at: z.date()
});

export function toUserOutput(u: ExternalUser): z.infer<typeof userOutput> {
	return {
		external_user_id: u.externalId ?? '',
		user_id: u.id,
		name: u.name,
		email: u.contactEmail,
		phone: u.phone,
		wechat_openid: u.wechatOpenid,
		wechat_unionid: u.wechatUnionid,
		alipay_userid: u.alipayUserid,
		login_type: u.loginType,
		external_data: (u.externalData as Record<string, unknown> | null) ?? null,
		created_at: u.createdAt
	};
}
