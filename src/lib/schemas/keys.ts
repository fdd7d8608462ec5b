import { z } from 'zod';
import { isoDateTime, rowId } from './fields';

/**
 * What an API key may do; a key does nothing its scopes do not name (docs/ARCHITECTURE.md, "API keys").
 * usage:write bills any user; usage:write:own only the key's owner ("own usage").
 */
export const keyScopes = ['usage:read', 'usage:write:own', 'usage:write', 'enterprises:manage', 'users:sync', 'admin'] as const;
export type KeyScope = (typeof keyScopes)[number];

export const scopeSchema = z.enum(keyScopes);

export const createKeyInput = z.object({
	name: z.string().trim().min(1, { message: 'name_required' }).max(60),
	expires_at: isoDateTime
		.refine((d) => d.getTime() > Date.now(), { message: 'expiry_in_past' })
		.nullish(),
	scopes: z.array(scopeSchema).max(keyScopes.length).optional()
});

export const keyIdInput = z.object({ id: rowId });
