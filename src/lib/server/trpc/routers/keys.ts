import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { createKeyInput, keyIdInput } from '$lib/schemas/keys';
import { createApiKey, listApiKeys, revokeApiKey, ScopeNotAllowedError } from '../../auth/api-keys';
import { authedProcedure, router } from '../init';

const keyOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	prefix: z.string(),
	scopes: z.array(z.string()),
	expires_at: z.date().nullable(),
	last_used_at: z.date().nullable(),
	revoked_at: z.date().nullable(),
	created_at: z.date()
});

export const keysRouter = router({
	create: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/keys', tags: ['keys'], summary: 'Create an API key (signed-in session only; keys cannot make keys). Each scope must be one the owner may hold; the secret is returned only here' } })
		.input(createKeyInput)
		.output(
			z.object({
				id: z.number().int(),
				name: z.string(),
				prefix: z.string(),
				key: z.string(),
				scopes: z.array(z.string()),
				expires_at: z.date().nullable()
			})
		)
		.mutation(async ({ ctx, input }) => {
			try {
				const created = await createApiKey(ctx.db, ctx.user.id, { name: input.name, expiresAt: input.expires_at, scopes: input.scopes ?? [] });
				return { ...created, expires_at: created.expiresAt };
			} catch (err) {
				if (err instanceof ScopeNotAllowedError) throw new TRPCError({ code: 'FORBIDDEN', message: err.message, cause: err });
				throw err;
			}
		}),

	list: authedProcedure
		.meta({ openapi: { method: 'GET', path: '/keys', tags: ['keys'], summary: "The caller's API keys (signed-in session only)" } })
		.input(z.void())
		.output(z.array(keyOutput))
		.query(async ({ ctx }) => {
			const rows = await listApiKeys(ctx.db, ctx.user.id);
			return rows.map((k) => ({
				id: k.id,
				name: k.name,
				prefix: k.prefix,
				scopes: k.scopes,
				expires_at: k.expiresAt,
				last_used_at: k.lastUsedAt,
				revoked_at: k.revokedAt,
				created_at: k.createdAt
			}));
		}),

	revoke: authedProcedure
		.meta({ openapi: { method: 'DELETE', path: '/keys/{id}', tags: ['keys'], summary: 'Revoke one of your API keys (signed-in session only); later requests with it get 401' } })
		.input(keyIdInput)
		.output(z.object({ id: z.number().int(), revoked: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const found = await revokeApiKey(ctx.db, ctx.user.id, input.id);
			if (!found) throw new TRPCError({ code: 'NOT_FOUND', message: 'key_not_found' });
			return { id: input.id, revoked: true };
		})
});
