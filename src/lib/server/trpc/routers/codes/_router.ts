import { batchIdInput, createBatchInput, listBatchesInput, redeemInput, setDisabledInput } from '$lib/schemas/codes';
import { disabledOutput } from '../../../codes/api-shapes';
import { adminProcedure, authedProcedure, router, scopedProcedure } from '../../init';
import { batchHandler } from './batch.handler';
import { batchDetailOutput } from './batch.schema';
import { batchesHandler } from './batches.handler';
import { batchListOutput } from './batches.schema';
import { createBatchHandler } from './createBatch.handler';
import { createdBatchOutput } from './createBatch.schema';
import { mineHandler } from './mine.handler';
import { myRedemptionsInput, myRedemptionsOutput } from './mine.schema';
import { redeemHandler } from './redeem.handler';
import { redeemedOutput } from './redeem.schema';
import { setBatchDisabledHandler } from './setBatchDisabled.handler';
import { setCodeDisabledHandler } from './setCodeDisabled.handler';

export const codesRouter = router({
	redeem: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/redemptions', tags: ['redemption codes'], summary: 'Redeem a code: its credit, or the package it gives, lands in your wallet as grants' } })
		.input(redeemInput)
		.output(redeemedOutput)
		.mutation(redeemHandler),

	mine: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/redemptions', tags: ['redemption codes'], summary: 'Codes you redeemed, newest first' } })
		.input(myRedemptionsInput)
		.output(myRedemptionsOutput)
		.query(mineHandler),

	createBatch: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/code-batches', tags: ['redemption codes'], summary: 'Make a batch of codes; the codes (and their CSV) are in this answer only' } })
		.input(createBatchInput)
		.output(createdBatchOutput)
		.mutation(createBatchHandler),

	batches: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/code-batches', tags: ['redemption codes'], summary: 'Code batches, newest first' } })
		.input(listBatchesInput)
		.output(batchListOutput)
		.query(batchesHandler),

	batch: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/code-batches/{id}', tags: ['redemption codes'], summary: 'A batch, its codes (prefixes only) and who redeemed them' } })
		.input(batchIdInput)
		.output(batchDetailOutput)
		.query(batchHandler),

	setBatchDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/code-batches/{id}/disabled', tags: ['redemption codes'], summary: 'Disable (or enable again) every code of a batch' } })
		.input(setDisabledInput)
		.output(disabledOutput)
		.mutation(setBatchDisabledHandler),

	setCodeDisabled: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/codes/{id}/disabled', tags: ['redemption codes'], summary: 'Disable (or enable again) one code' } })
		.input(setDisabledInput)
		.output(disabledOutput)
		.mutation(setCodeDisabledHandler)
});
