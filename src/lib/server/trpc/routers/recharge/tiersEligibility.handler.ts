import type { HandlerOptions } from '../../context';
import { units } from '../../../recharge/api-shapes';
import { loadRechargeSettings } from '../../../recharge/settings';
import { tierStates, usedTiers } from '../../../recharge/tiers';

export async function tiersEligibilityHandler({ ctx }: HandlerOptions) {
	const s = await loadRechargeSettings(ctx.db);
	const states = tierStates(s, await usedTiers(ctx.db, ctx.user.id));
	return {
		enabled: s.enabled,
		tiers: states.map((t) => ({ tier_amount: units(t.tierCredits), eligible: t.eligible, bonus_amount: units(t.bonusCredits) }))
	};
}
