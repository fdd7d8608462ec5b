import { z } from 'zod';
import { pageLimit, rowId } from './fields';
import { MAX_CREDITS } from './metering';

/** An invite code as it appears in `/register?invite=…`. */
export const inviteCodeSchema = z.string().regex(/^[a-z0-9]{6,32}$/, { message: 'invalid_invite' });

const cap = z.number().int({ message: 'must_be_integer' }).min(1).max(MAX_CREDITS).nullable();

export const rebateSettingsInput = z.object({
	rate_bp: z.number().int({ message: 'must_be_integer' }).min(0).max(10_000),
	per_invitee_cap_credits: cap,
	monthly_cap_credits: cap
});

export const topInvitersInput = z.object({ limit: pageLimit(200, 50) });
export const inviterDisabledInput = z.object({ user_id: rowId, disabled: z.boolean() });
