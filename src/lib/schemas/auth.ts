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
