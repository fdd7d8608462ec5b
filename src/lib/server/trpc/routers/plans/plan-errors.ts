import { TRPCError } from '@trpc/server';
import { PLAN_ERROR_STATUS, PlanError } from '../../../plans/errors';

/** Maps the plans module's domain errors to their status, once. */
export async function withPlanErrors<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (err instanceof PlanError) throw new TRPCError({ code: PLAN_ERROR_STATUS[err.code], message: err.code });
		throw err;
	}
}
