import { z } from 'zod';
import { isoDateTime, rowId } from './fields';
import { MAX_CREDITS } from './metering';

export const GRANT_SOURCES = ['welcome', 'first_recharge_bonus', 'plan_allowance', 'package', 'admin_grant', 'code', 'rebate'] as const;

export const grantInput = z
	.object({
		user_id: rowId.optional(),
		enterprise_id: rowId.optional(),
		source: z.enum(GRANT_SOURCES).default('admin_grant'),
		amount: z.number().int({ message: 'must_be_integer' }).min(1, { message: 'amount_positive' }).max(MAX_CREDITS),
		/** Lower numbers are used first. */
		priority: z.number().int({ message: 'must_be_integer' }).min(0).max(1000).default(10),
		effective_from: isoDateTime.optional(),
		expires_at: isoDateTime.optional(),
		reason: z.string().trim().min(1, { message: 'reason_required' }).max(500),
		idempotency_key: z.string().trim().min(1).max(200)
	})
	.refine((g) => (g.user_id === undefined) !== (g.enterprise_id === undefined), { message: 'user_id_or_enterprise_id', path: ['user_id'] })
	.refine((g) => g.expires_at === undefined || g.expires_at.getTime() > (g.effective_from ?? new Date()).getTime(), {
		message: 'expires_before_effective',
		path: ['expires_at']
	});
