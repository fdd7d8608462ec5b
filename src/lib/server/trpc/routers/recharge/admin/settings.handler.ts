import type { HandlerOptions } from '../../../context';
import { settingsView } from '../../../../recharge/api-shapes';
import { loadRechargeSettings } from '../../../../recharge/settings';

export async function settingsHandler({ ctx }: HandlerOptions) {
	return settingsView(await loadRechargeSettings(ctx.db));
}
