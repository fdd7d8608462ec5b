import { z } from 'zod';
import { rechargeSettingsInput, refundInput } from '$lib/schemas/recharge';
import { orderOutput, settingsOutput } from '../../../../recharge/api-shapes';
import { adminProcedure, router } from '../../../init';
import { ordersOutput } from '../orders.schema';
import { lateOrdersHandler } from './lateOrders.handler';
import { paymentEventsHandler } from './paymentEvents.handler';
import { paymentEventsInput, paymentEventsOutput } from './paymentEvents.schema';
import { refundHandler } from './refund.handler';
import { settingsHandler } from './settings.handler';
import { updateSettingsHandler } from './updateSettings.handler';

/** The recharge console's procedures (`recharge.admin.*`, REST under /admin/recharge). */
export const rechargeAdminRouter = router({
	settings: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/recharge/settings', tags: ['recharge admin'], summary: 'Recharge tiers, bonus rate and cap, custom range' } })
		.input(z.void())
		.output(settingsOutput)
		.query(settingsHandler),

	updateSettings: adminProcedure
		.meta({ openapi: { method: 'PUT', path: '/admin/recharge/settings', tags: ['recharge admin'], summary: 'Replace the recharge settings' } })
		.input(rechargeSettingsInput)
		.output(settingsOutput)
		.mutation(updateSettingsHandler),

	refund: adminProcedure
		.meta({ openapi: { method: 'POST', path: '/admin/recharge/orders/{id}/refund', tags: ['recharge admin'], summary: 'Refund a paid order (reverses amount and bonus)' } })
		.input(refundInput)
		.output(orderOutput)
		.mutation(refundHandler),

	lateOrders: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/recharge/orders/late', tags: ['recharge admin'], summary: 'Orders paid after they expired' } })
		.input(z.void())
		.output(ordersOutput)
		.query(lateOrdersHandler),

	paymentEvents: adminProcedure
		.meta({ openapi: { method: 'GET', path: '/admin/recharge/payment-events', tags: ['recharge admin'], summary: 'Refused payment callbacks' } })
		.input(paymentEventsInput)
		.output(paymentEventsOutput)
		.query(paymentEventsHandler)
});
