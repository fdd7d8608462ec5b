import { z } from 'zod';
import { createOrderInput, listOrdersInput, orderIdInput } from '$lib/schemas/recharge';
import { orderOutput } from '../../../recharge/api-shapes';
import { authedProcedure, router, scopedProcedure } from '../../init';
import { rechargeAdminRouter } from './admin/_router';
import { cancelOrderHandler } from './cancelOrder.handler';
import { createOrderHandler } from './createOrder.handler';
import { eligibilityHandler } from './eligibility.handler';
import { eligibilityOutput } from './eligibility.schema';
import { orderHandler } from './order.handler';
import { orderWithWalletOutput } from './order.schema';
import { ordersHandler } from './orders.handler';
import { ordersOutput } from './orders.schema';
import { pageHandler } from './page.handler';
import { pageInput, pageOutput } from './page.schema';
import { tiersEligibilityHandler } from './tiersEligibility.handler';
import { tiersEligibilityOutput } from './tiersEligibility.schema';

export const rechargeRouter = router({
	tiersEligibility: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/first-recharge-bonus/eligibility/tiers', tags: ['recharge'], summary: "The caller's first-recharge bonus eligibility per preset tier" } })
		.input(z.void())
		.output(tiersEligibilityOutput)
		.query(tiersEligibilityHandler),

	eligibility: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/first-recharge-bonus/eligibility', tags: ['recharge'], summary: 'Whether the caller has used any first-recharge bonus, plus the promotion config' } })
		.input(z.void())
		.output(eligibilityOutput)
		.query(eligibilityHandler),

	/** Everything the recharge page shows, in one round trip (not an HTTP route). */
	page: authedProcedure.input(pageInput).output(pageOutput).query(pageHandler),

	createOrder: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/recharge/orders', tags: ['recharge'], summary: 'Create a recharge order and get its checkout URL' } })
		.input(createOrderInput)
		.output(orderOutput)
		.mutation(createOrderHandler),

	order: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/recharge/orders/{id}', tags: ['recharge'], summary: 'One of your orders (admins: any order)' } })
		.input(orderIdInput)
		.output(orderWithWalletOutput)
		.query(orderHandler),

	cancelOrder: authedProcedure
		.meta({ openapi: { method: 'POST', path: '/recharge/orders/{id}/cancel', tags: ['recharge'], summary: 'Give up one of your pending orders (a payment that still arrives is credited as late)' } })
		.input(orderIdInput)
		.output(orderOutput)
		.mutation(cancelOrderHandler),

	orders: scopedProcedure('usage:read')
		.meta({ openapi: { method: 'GET', path: '/recharge/orders', tags: ['recharge'], summary: 'Your recharge history (admins with all=true: every order, searchable)' } })
		.input(listOrdersInput)
		.output(ordersOutput)
		.query(ordersHandler),

	admin: rechargeAdminRouter
});
