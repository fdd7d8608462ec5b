import type { z } from 'zod';
import type { HandlerOptions } from '../../context';
import { enterpriseWalletId, userWalletId, walletBalance } from '../../../ledger/wallets';
import { settingsView } from '../../../recharge/api-shapes';
import { enabledMethods } from '../../../recharge/providers/registry';
import { loadRechargeSettings } from '../../../recharge/settings';
import { administeredEnterprise, enterprisePayingNow, fundableEnterprises } from '../../../recharge/targets';
import { tierStates, usedTiers } from '../../../recharge/tiers';
import type { pageInput } from './page.schema';

/** Everything the recharge page shows, in one round trip. */
export async function pageHandler({ ctx, input }: HandlerOptions<z.output<typeof pageInput>>) {
	const s = await loadRechargeSettings(ctx.db);
	const used = await usedTiers(ctx.db, ctx.user.id);
	const fundable = await fundableEnterprises(ctx.db, ctx.user.id);
	const target = input?.enterprise_id ? await administeredEnterprise(ctx.db, ctx.user, input.enterprise_id) : null;
	// Enterprise wallets get no first-recharge bonus, so no tier shows a tag there.
	const tiers = tierStates(s, used).map((tier) => (target ? { ...tier, eligible: false } : tier));
	const walletId = target ? await enterpriseWalletId(ctx.db, target.enterpriseId) : await userWalletId(ctx.db, ctx.user.id);
	const balance = await walletBalance(ctx.db, walletId);
	return {
		target,
		payerNow: !target && balance < 0 ? await enterprisePayingNow(ctx.db, ctx.user.id) : null,
		fundable,
		settings: settingsView(s),
		settingsCredits: s,
		tiers,
		methods: await enabledMethods(ctx.db),
		balanceCredits: balance,
		debug:
			ctx.user.role === 'admin'
				? {
						configLoaded: true,
						promotionEnabled: s.enabled,
						userEligible: tiers.some((t) => t.eligible),
						bannerShown: s.enabled && tiers.some((t) => t.eligible),
						usedTierCredits: used
					}
				: null
	};
}
