import { z } from 'zod';
import { isoDateTime, rowId } from './fields';

export const scopeSchema = z.enum(['usage:write', 'users:sync', 'groups:manage']);

export const createKeyInput = z.object({
	name: z.string().trim().min(1, { message: 'name_required' }).max(60),
	expires_at: isoDateTime
		.refine((d) => d.getTime() > Date.now(), { message: 'expiry_in_past' })
		.nullish(),
	scopes: z.array(scopeSchema).max(3).optional()
});

export const keyIdInput = z.object({ id: rowId });
