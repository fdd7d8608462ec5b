import { z } from 'zod';
import { emailSchema } from './auth';
import { pageLimit, rowId as id } from './fields';

export const MAX_BATCH_EMAILS = 500;

export const createEnterpriseInput = z.object({
	name: z.string().trim().min(1, { message: 'name_required' }).max(80),
	description: z.string().trim().max(500).default(''),
	admin_user_ids: z.array(id).max(20).optional(),
	admin_emails: z.array(emailSchema).max(20).optional()
});

export const enterpriseIdInput = z.object({ enterprise_id: id });

/** Most members one search answers; the list without a search is every member. */
export const MAX_MEMBER_MATCHES = 500;

/** An enterprise's members; `q` keeps those whose name or email contains it (any case), at most `limit` of them. */
export const membersInput = z.object({
	enterprise_id: id,
	q: z.string().trim().max(100, { message: 'search_too_long' }).optional(),
	limit: z.number().int().min(1).max(MAX_MEMBER_MATCHES).optional()
});
export const userIdInput = z.object({ user_id: id });

export const setAdminsInput = z.object({
	enterprise_id: id,
	admin_emails: z.array(emailSchema).min(1).max(20)
});

export const batchEmailsInput = z.object({
	enterprise_id: id,
	emails: z.array(z.string().trim().max(320)).min(1, { message: 'emails_required' }).max(MAX_BATCH_EMAILS, { message: 'too_many_emails' })
});

/** Credits; null removes the limit. */
export const setLimitInput = z.object({
	enterprise_id: id,
	user_id: id,
	monthly_limit: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable()
});

export const setSuspendedInput = z.object({ enterprise_id: id, suspended: z.boolean() });

/** The caller's active enterprises in the order they should pay. */
export const reorderInput = z.object({ enterprise_ids: z.array(id).min(1).max(100) });

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'invalid_month' });

export const reportInput = z.object({ enterprise_id: id, month: monthSchema.optional() });

export const walletHistoryInput = z.object({
	enterprise_id: id,
	limit: pageLimit(200, 50),
	before_id: id.optional()
});

/** Every email-looking token in pasted text or an uploaded CSV (header rows and names are ignored). */
export function parseEmailList(text: string): string[] {
	const seen = new Set<string>();
	for (const token of text.split(/[\s,;"'<>]+/)) {
		const email = token.trim().toLowerCase();
		if (email.includes('@')) seen.add(email);
	}
	return [...seen];
}

export const invitationIdInput = z.object({ invitation_id: id });
export const revokeInvitationInput = z.object({ enterprise_id: id, invitation_id: id });
/** The token a sign-up link carries (43 base64url characters). */
export const invitationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'invalid_invitation' });
