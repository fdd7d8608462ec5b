/** What can go wrong with plans, packages and grants; the router maps each code to a status once. */
export const PLAN_ERROR_STATUS = {
	plan_not_found: 'NOT_FOUND',
	plan_inactive: 'BAD_REQUEST',
	already_subscribed: 'CONFLICT',
	price_changed: 'CONFLICT',
	// Nothing to cancel is a state conflict (409), as the REST document lists for POSTs without an id.
	no_subscription: 'CONFLICT',
	package_not_found: 'NOT_FOUND',
	package_inactive: 'BAD_REQUEST',
	grant_target_not_found: 'NOT_FOUND',
	idempotency_key_reused: 'CONFLICT'
} as const;

export type PlanErrorCode = keyof typeof PLAN_ERROR_STATUS;

export class PlanError extends Error {
	constructor(readonly code: PlanErrorCode) {
		super(code);
		this.name = 'PlanError';
	}
}
