import { z } from 'zod';

export const emailSchema = z
	.string()
	.trim()
	.toLowerCase()
	.pipe(z.email({ message: 'invalid_email' }).max(254));

export const passwordSchema = z
	.string()
	.min(8, { message: 'password_too_short' })
	.max(256, { message: 'password_too_long' })
	.refine((p) => /[a-zA-Z]/.test(p) && /[0-9]/.test(p), { message: 'password_too_weak' });

export const nameSchema = z.string().trim().min(1, { message: 'name_required' }).max(80);

export const registerInput = z.object({ email: emailSchema, password: passwordSchema, name: nameSchema });
export const loginInput = z.object({ email: emailSchema, password: z.string().min(1).max(256) });
export const changePasswordInput = z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema });
export const localeSchema = z.enum(['zh-CN', 'en']);

export type RegisterInput = z.infer<typeof registerInput>;

/** Admin console: the welcome grant as a currency amount ("0" turns it off) and the sign-up limit per address. */
export const registrationSettingsInput = z.object({
	welcome: z
		.union([z.number(), z.string()])
		.transform((v) => String(v).trim())
		.pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, { message: 'amount_format' })),
	registrations_per_ip_per_hour: z.number().int().min(1).max(100_000)
});
