import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { rechargeSettingsInput } from '$lib/schemas/recharge';
import { unitsToCredits } from '$lib/money';
import type { HandlerOptions } from '../../../context';
import { config } from '../../../../config';
import { settingsView } from '../../../../recharge/api-shapes';
import { rechargeSettingsSchema, saveRechargeSettings } from '../../../../recharge/settings';

function credits(units: string): number {
	const value = unitsToCredits(units, config().CREDITS_PER_UNIT);
	if (value === null) throw new TRPCError({ code: 'BAD_REQUEST', message: 'amount_format' });
	return value;
}

export async function updateSettingsHandler({ ctx, input }: HandlerOptions<z.output<typeof rechargeSettingsInput>>) {
	const parsed = rechargeSettingsSchema.safeParse({
		tiers: input.tiers.map(credits),
		bonusRateBp: input.bonus_rate_bp,
		bonusCapCredits: credits(input.bonus_cap),
		enabled: input.enabled,
		customMinCredits: credits(input.custom_min),
		customMaxCredits: credits(input.custom_max),
		orderTtlMinutes: input.order_ttl_minutes
	});
	if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'invalid_settings' });
	return settingsView(await saveRechargeSettings(ctx.db, parsed.data, ctx.user.id));
}
