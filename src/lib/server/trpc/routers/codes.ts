import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { batchIdInput, createBatchInput, listBatchesInput, redeemInput, setDisabledInput } from '$lib/schemas/codes';
import { pageLimit } from '$lib/schemas/fields';
import { batchCodes, batchCsv, batchRedemptions, createBatch, findBatch, listBatches, setBatchDisabled, setCodeDisabled, userRedemptions, type BatchRow } from '../../codes/batches';
import { redeemCode, RedemptionError } from '../../codes/redeem';
import { adminProcedure, authedProcedure, router, scopedProcedure } from '../init';

const batchOutput = z.object({
	id: z.number().int(),
	name: z.string(),
	kind: z.enum(['credits']),
	credits: z.number().int().nullable(),
	expires_at: z.date().nullable(),
	uses_per_code: z.number().int(),
	uses_per_user: z.number().int(),
	code_count: z.number().int(),
	uses: z.number().int().describe('uses made of all its codes'),
	disabled: z.boolean(),
	created_at: z.date()
});

function batchView(b: BatchRow, uses: number): z.infer<typeof batchOutput> {
	return {
		id: b.id,
		name: b.name,
		kind: b.kind,
		credits: b.credits,
		expires_at: b.expiresAt,
		uses_per_code: b.usesPerCode,
		uses_per_user: b.usesPerUser,
		code_count: b.codeCount,
		uses,
		disabled: b.disabledAt !== null,
		created_at: b.createdAt
	};
}

const codeOutput = z.object({ id: z.number().int(), prefix: z.string(), uses: z.number().int(), max_uses: z.number().int(), disabled: z.boolean() });

const redeemedOutput = z.object({
	redemption_id: z.number().int(),
	batch_name: z.string(),
	code_prefix: z.string(),
	credits: z.number().int(),
	grant_id: z.number().int(),
	expires_at: z.date().nullable().describe('when the credit given expires (the code batch’s expiry)'),
	balance_credits: z.number().int().describe('wallet balance after the credit')
});

/** The one place a redemption failure becomes an answer: 404 unknown, 409 the rest, 429 too many failures. */
function redemptionAnswer(err: unknown): never {
	if (!(err instanceof RedemptionError)) throw err;
	if (err.reason === 'code_unknown') throw new TRPCError({ code: 'NOT_FOUND', message: err.reason, cause: err });
	if (err.reason === 'too_many_redemptions') throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `${err.reason}:${err.retryAfterSeconds ?? 60}`, cause: err });
	throw new TRPCError({ code: 'CONFLICT', message: err.reason, cause: err });
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'not_found' });

export const codesRouter = router({
	redeem: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/redemptions', tags: ['redemption codes'], summary: 'Redeem a code: its credit lands in your wallet as a grant' } })
		.input(redeemInput)
		.output(redeemedOutput)
		.mutation(async ({ ctx, input }) => {
			const r = await redeemCode(ctx.db, ctx.user.id, input.code, ctx.ip).catch(redemptionAnswer);
			return {
				redemption_id: r.redemptionId,
				batch_name: r.batchName,
				code_prefix: r.codePrefix,
				credits: r.credits,
				grant_id: r.grantId,
				expires_at: r.expiresAt,
				balance_credits: r.balanceAfter
			};
		}),

	mine: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/redemptions', tags: ['redemption codes'], summary: 'Codes you redeemed, newest first' } })
		.input(z.object({ limit: pageLimit(200, 50) }))
		.output(z.array(z.object({ id: z.number().int(), code_prefix: z.string(), batch_name: z.string(), credits: z.number().int(), expires_at: z.date().nullable(), created_at: z.date() })))
		.query(async ({ ctx, input }) =>
			(await userRedemptions(ctx.db, ctx.user.id, input.limit)).map((r) => ({
				id: r.id,
				code_prefix: r.codePrefix,
				batch_name: r.batchName,
				credits: r.credits,
				expires_at: r.expiresAt,
				created_at: r.createdAt
			}))
		),

	createBatch: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/code-batches', tags: ['redemption codes'], summary: 'Make a batch of codes; the codes (and their CSV) are in this answer only' } })
		.input(createBatchInput)
		.output(z.object({ batch: batchOutput, codes: z.array(z.string()), csv: z.string() }))
		.mutation(async ({ ctx, input }) => {
			const { batch, codes } = await createBatch(ctx.db, ctx.user.id, {
				name: input.name,
				kind: input.kind,
				credits: input.credits,
				count: input.count,
				expiresAt: input.expires_at ?? null,
				usesPerCode: input.uses_per_code,
				usesPerUser: input.uses_per_user
			});
			return { batch: batchView(batch, 0), codes, csv: batchCsv(batch, codes) };
		}),

	batches: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/code-batches', tags: ['redemption codes'], summary: 'Code batches, newest first' } })
		.input(listBatchesInput)
		.output(z.array(batchOutput))
		.query(async ({ ctx, input }) => (await listBatches(ctx.db, input.limit)).map((r) => batchView(r.batch, r.uses))),

	batch: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/code-batches/{id}', tags: ['redemption codes'], summary: 'A batch, its codes (prefixes only) and who redeemed them' } })
		.input(batchIdInput)
		.output(
			z.object({
				batch: batchOutput,
				codes: z.array(codeOutput),
				redemptions: z.array(z.object({ id: z.number().int(), code_id: z.number().int(), code_prefix: z.string(), user_id: z.number().int(), email: z.string(), credits: z.number().int(), created_at: z.date() }))
			})
		)
		.query(async ({ ctx, input }) => {
			const batch = await findBatch(ctx.db, input.id);
			if (!batch) throw notFound();
			const codes = await batchCodes(ctx.db, batch.id);
			const used = await batchRedemptions(ctx.db, batch.id);
			return {
				batch: batchView(batch, codes.reduce((s, c) => s + c.uses, 0)),
				codes: codes.map((c) => ({ id: c.id, prefix: c.prefix, uses: c.uses, max_uses: c.maxUses, disabled: c.disabledAt !== null })),
				redemptions: used.map((r) => ({ id: r.id, code_id: r.codeId, code_prefix: r.codePrefix, user_id: r.userId, email: r.email, credits: r.credits, created_at: r.createdAt }))
			};
		}),

	setBatchDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/code-batches/{id}/disabled', tags: ['redemption codes'], summary: 'Disable (or enable again) every code of a batch' } })
		.input(setDisabledInput)
		.output(z.object({ id: z.number().int(), disabled: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const row = await setBatchDisabled(ctx.db, input.id, input.disabled);
			if (!row) throw notFound();
			return { id: row.id, disabled: row.disabledAt !== null };
		}),

	setCodeDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/codes/{id}/disabled', tags: ['redemption codes'], summary: 'Disable (or enable again) one code' } })
		.input(setDisabledInput)
		.output(z.object({ id: z.number().int(), disabled: z.boolean() }))
		.mutation(async ({ ctx, input }) => {
			const row = await setCodeDisabled(ctx.db, input.id, input.disabled);
			if (!row) throw notFound();
			return { id: row.id, disabled: row.disabledAt !== null };
		})
});
