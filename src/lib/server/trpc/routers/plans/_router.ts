import { z } from 'zod';
import { adminGrantInput, buyPackageInput, listGrantsInput, packageInput, planInput, planUpdateInput, subscribeInput } from '$lib/schemas/plans';
import { packageOutput, planOutput } from '../../../plans/api-shapes';
import { orderOutput } from '../../../recharge/api-shapes';
import { adminProcedure, authedProcedure, router, scopedProcedure } from '../../init';
import { adminPackagesHandler } from './adminPackages.handler';
import { adminPlansHandler } from './adminPlans.handler';
import { buyPackageHandler } from './buyPackage.handler';
import { cancelHandler } from './cancel.handler';
import { cancelInput, cancelOutput } from './cancel.schema';
import { createPackageHandler } from './createPackage.handler';
import { createPlanHandler } from './createPlan.handler';
import { grantHandler } from './grant.handler';
import { grantGivenOutput } from './grant.schema';
import { grantsHandler } from './grants.handler';
import { grantListOutput } from './grants.schema';
import { listHandler } from './list.handler';
import { planListOutput } from './list.schema';
import { mineHandler } from './mine.handler';
import { mySubscriptionsOutput } from './mine.schema';
import { packagesHandler } from './packages.handler';
import { packageListOutput } from './packages.schema';
import { salesHandler } from './sales.handler';
import { salesOutput } from './sales.schema';
import { subscribeHandler } from './subscribe.handler';
import { subscribersHandler } from './subscribers.handler';
import { subscribersOutput } from './subscribers.schema';
import { updatePlanHandler } from './updatePlan.handler';

export const plansRouter = router({
	list: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/plans', tags: ['plans'], summary: 'Active plans: monthly price (credits) and allowances per month' } })
		.input(z.void())
		.output(planListOutput)
		.query(listHandler),

	subscribe: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/plans/{id}/subscribe', tags: ['plans'], summary: 'Create an order for months of a plan and get its checkout URL; expected_price refuses a changed price' } })
		.input(subscribeInput)
		.output(orderOutput)
		.mutation(subscribeHandler),

	mine: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/me/subscription', tags: ['plans'], summary: "The caller's active subscriptions: period, reset time and allowance remaining per unit" } })
		.input(z.void())
		.output(mySubscriptionsOutput)
		.query(mineHandler),

	cancel: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/me/subscription/cancel', tags: ['plans'], summary: 'Stop renewal; the months paid run to their end' } })
		.input(cancelInput)
		.output(cancelOutput)
		.mutation(cancelHandler),

	packages: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/packages', tags: ['plans'], summary: 'Packages on sale: amount + bonus of a unit, price (credits), validity' } })
		.input(z.void())
		.output(packageListOutput)
		.query(packagesHandler),

	buyPackage: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/packages/{id}/buy', tags: ['plans'], summary: 'Create an order for a package and get its checkout URL' } })
		.input(buyPackageInput)
		.output(orderOutput)
		.mutation(buyPackageHandler),

	createPlan: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/plans', tags: ['admin'], summary: 'Create a plan (at least one allowance, price ≥ 0)' } })
		.input(planInput)
		.output(planOutput)
		.mutation(createPlanHandler),

	updatePlan: adminProcedure
		.meta({ openapi: { method: 'PUT', path: '/admin/plans/{id}', tags: ['admin'], summary: 'Replace a plan; orders already created keep their price' } })
		.input(planUpdateInput)
		.output(planOutput)
		.mutation(updatePlanHandler),

	createPackage: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/packages', tags: ['admin'], summary: 'Create a package (bonus at most 10× the amount)' } })
		.input(packageInput)
		.output(packageOutput)
		.mutation(createPackageHandler),

	grant: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/grants', tags: ['admin'], summary: 'Grant credits, tokens or images to a user or an enterprise; a retry with the same idempotency_key returns the first grant' } })
		.input(adminGrantInput)
		.output(grantGivenOutput)
		.mutation(grantHandler),

	grants: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/grants', tags: ['admin'], summary: "A user's (user_id) or an enterprise's (enterprise_id) grants, newest first; neither: every grant" } })
		.input(listGrantsInput)
		.output(grantListOutput)
		.query(grantsHandler),

	// The admin console's catalog, subscribers and sales (not HTTP routes).
	adminPlans: adminProcedure.input(z.void()).output(planListOutput).query(adminPlansHandler),

	adminPackages: adminProcedure.input(z.void()).output(packageListOutput).query(adminPackagesHandler),

	subscribers: adminProcedure.input(z.void()).output(subscribersOutput).query(subscribersHandler),

	sales: adminProcedure.input(z.void()).output(salesOutput).query(salesHandler)
});
