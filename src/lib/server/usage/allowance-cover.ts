import { coverFromAllowances, type AllowanceUse } from '../ledger/allowances';
import type { GrantState } from '../ledger/burn-down';
import { costLeftAfterAllowance } from './price';
import type { PricedEvent } from './settle-batch';

/**
 * Plans' step of settlement, between pricing and the payer chain, as TypeScript states it (settle_usage
 * does the same in SQL; tests/integration/settle-payer-property.test.ts holds them equal): covers what the event used from
 * the token and image allowances of its wallets (`walletOrder`: the user's own first, then its
 * enterprises) and returns the credits still to pay from a balance and the allowance uses to
 * record. An explicit-cost event (no price) is not covered by allowances, only by credit grants.
 */
export function coverEvent(
	event: PricedEvent,
	walletOrder: number[],
	allowances: Map<number, GrantState[]>,
	at: Date
): { toPay: number; uses: AllowanceUse[] } {
	if (!event.price || event.cost === 0) return { toPay: event.cost, uses: [] };
	const grants = walletOrder.flatMap((id) => allowances.get(id) ?? []);
	if (grants.length === 0) return { toPay: event.cost, uses: [] };
	const cover = coverFromAllowances(grants, { inputTokens: event.inputTokens, outputTokens: event.outputTokens, images: event.images ?? 0 }, at);
	const toPay = costLeftAfterAllowance(event.cost, cover.left, event.price, cover.uses.length > 0);
	const credits = event.cost - toPay;
	return { toPay, uses: cover.uses.map((u, i) => ({ requestId: event.requestId, grantId: u.grantId, units: u.units, credits: i === 0 ? credits : 0 })) };
}
