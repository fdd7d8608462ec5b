import { z } from 'zod';
import { authorizeInput, holdRequestInput } from '$lib/schemas/metering';
import { grantInput } from '$lib/schemas/money';
import { adminProcedure, router, scopedProcedure } from '../../init';
import { authorizeHandler } from './authorize.handler';
import { authorizeOutput } from './authorize.schema';
import { balanceHandler } from './balance.handler';
import { balanceOutput } from './balance.schema';
import { grantHandler } from './grant.handler';
import { grantOutput } from './grant.schema';
import { modelsHandler } from './models.handler';
import { modelsOutput } from './models.schema';
import { releaseHoldHandler } from './releaseHold.handler';
import { holdOutput } from './releaseHold.schema';
import { reportHandler } from './report.handler';
import { reportInput, reportOutput } from './report.schema';
import { summaryHandler } from './summary.handler';
import { summaryOutput } from './summary.schema';
import { walletHandler } from './wallet.handler';
import { walletInput, walletOutput } from './wallet.schema';

const OWN_USAGE_RULE =
	"A `usage:write` key of an admin or service account may bill any user. A `usage:write:own` key (or a plain user's `usage:write` key) only its owner: an event for someone else is 403 `not_own_usage`, or in a batch `rejected` with that reason, and nothing is written for it.";

export const usageRouter = router({
	report: scopedProcedure('usage:write', 'admin')
		.meta({ openapi: { method: 'POST', path: '/usage', tags: ['usage'], summary: 'Report finished usage: one event or {events:[…]} (up to 1,000); answers per event', description: OWN_USAGE_RULE } })
		.input(reportInput)
		.output(reportOutput)
		.mutation(reportHandler),

	authorize: scopedProcedure('usage:write', 'admin')
		.meta({
			openapi: {
				method: 'POST',
				path: '/usage/authorize',
				tags: ['usage'],
				summary: 'May this user start a request? Uses the same payer chain as settlement; with reserve: true places a hold (capture: report usage with the same request_id)',
				description: OWN_USAGE_RULE
			}
		})
		.input(authorizeInput)
		.output(authorizeOutput)
		.mutation(authorizeHandler),

	// Holds, the wallet view and the admin credit grant.
	releaseHold: scopedProcedure('usage:write', 'admin')
		.meta({
			openapi: {
				method: 'POST',
				path: '/usage/holds/{request_id}/release',
				tags: ['usage'],
				summary: "Release the hold you placed for a request; a hold already resolved answers its final state and changes nothing"
			}
		})
		.input(holdRequestInput)
		.output(holdOutput)
		.mutation(releaseHoldHandler),

	wallet: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/token-usage/wallet', tags: ['usage'], summary: "A wallet (yours; any user's for a platform admin): regular balance, grants, held, available and the order they are used in" } })
		.input(walletInput)
		.output(walletOutput)
		.query(walletHandler),

	grant: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/credits/grant', tags: ['admin'], summary: 'Give a user or enterprise wallet a credit grant (priority, optional expiry); a retry with the same idempotency_key returns the original' } })
		.input(grantInput)
		.output(grantOutput)
		.mutation(grantHandler),

	balance: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/token-usage/balance', tags: ['usage'], summary: "The caller's balance in credits and whether it is in arrears" } })
		.input(z.void())
		.output(balanceOutput)
		.query(balanceHandler),

	summary: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/token-usage/summary', tags: ['usage'], summary: "The caller's usage totals (today, this month, all time, UTC) and balance" } })
		.input(z.void())
		.output(summaryOutput)
		.query(summaryHandler),

	models: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/models', tags: ['usage'], summary: 'Active models with the prices in force now (credits per 1M tokens)' } })
		.input(z.void())
		.output(modelsOutput)
		.query(modelsHandler)
});
