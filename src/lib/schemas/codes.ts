import { z } from 'zod';
import { isoDateTime, pageLimit, rowId } from './fields';
import { MAX_CREDITS } from './metering';

/** What a user types: letters, digits, dashes and spaces; normalised on the server. */
export const redeemInput = z.object({
	code: z
		.string()
		.trim()
		.min(1, { message: 'code_required' })
		.max(64, { message: 'code_unknown' })
		.regex(/^[A-Za-z0-9 -]+$/, { message: 'code_unknown' })
});

export const MAX_CODES_PER_BATCH = 5000;

export const codeBatchKinds = ['credits', 'package'] as const;

export const createBatchInput = z
	.object({
		name: z.string().trim().min(1, { message: 'name_required' }).max(120),
		/** What one use gives: credits (`credits`), or a package activated as if bought (`package_id`). */
		kind: z.enum(codeBatchKinds).default('credits'),
		credits: z.number().int({ message: 'must_be_integer' }).min(1, { message: 'amount_positive' }).max(MAX_CREDITS).optional(),
		package_id: rowId.optional(),
		count: z.number().int({ message: 'must_be_integer' }).min(1).max(MAX_CODES_PER_BATCH),
		expires_at: isoDateTime.optional(),
		uses_per_code: z.number().int({ message: 'must_be_integer' }).min(1).max(1_000_000).default(1),
		uses_per_user: z.number().int({ message: 'must_be_integer' }).min(1).max(1000).default(1)
	})
	.superRefine((b, ctx) => {
		if (b.kind === 'credits' && b.credits === undefined) ctx.addIssue({ code: 'custom', message: 'credits_required', path: ['credits'] });
		if (b.kind === 'credits' && b.package_id !== undefined) ctx.addIssue({ code: 'custom', message: 'gives_credits_or_package', path: ['package_id'] });
		if (b.kind === 'package' && b.package_id === undefined) ctx.addIssue({ code: 'custom', message: 'package_required', path: ['package_id'] });
		if (b.kind === 'package' && b.credits !== undefined) ctx.addIssue({ code: 'custom', message: 'gives_credits_or_package', path: ['credits'] });
	})
	.refine((b) => b.expires_at === undefined || b.expires_at.getTime() > Date.now(), { message: 'expires_in_past', path: ['expires_at'] });

export const batchIdInput = z.object({ id: rowId });
export const setDisabledInput = z.object({ id: rowId, disabled: z.boolean() });
export const listBatchesInput = z.object({ limit: pageLimit(200, 50) });
