import type { HandlerOptions } from '../../context';
import { settingsView, units } from '../../../recharge/api-shapes';
import { loadRechargeSettings } from '../../../recharge/settings';
import { tierStates, usedTiers } from '../../../recharge/tiers';

export async function eligibilityHandler({ ctx }: HandlerOptions) {
	const s = await loadRechargeSettings(ctx.db);
	const used = await usedTiers(ctx.db, ctx.user.id);
	return {
		enabled: s.enabled,
		has_participated: used.length > 0,
		eligible: tierStates(s, used).some((t) => t.eligible),
		used_tiers: used.map(units),
		config: settingsView(s)
	};
}
