import type { Db } from '../db/client';
import { createApiKey } from '../auth/api-keys';
import { userWalletId, walletBalance } from '../ledger/wallets';
import { saveFeaturedModels } from '../usage/capacity';
import { setModelPrice } from '../usage/models';
import { settleUsage, type UsageEvent } from '../usage/settle';
import { demoServiceAccount } from './accounts';
import type { DemoUsers } from './demo';

const DAY = 86_400_000;

/** Credits per 1M tokens at 10,000 credits = ¥1 (list prices converted at about ¥7.2 per US$). */
const priceList = [
	{ code: 'gpt-4o', provider: 'openai', displayName: 'GPT-4o', inputPrice: 180_000, outputPrice: 720_000 },
	{ code: 'gpt-4o-mini', provider: 'openai', displayName: 'GPT-4o mini', inputPrice: 10_800, outputPrice: 43_200 },
	{ code: 'claude-sonnet-4', provider: 'anthropic', displayName: 'Claude Sonnet 4', inputPrice: 216_000, outputPrice: 1_080_000 },
	{ code: 'deepseek-chat', provider: 'deepseek', displayName: 'DeepSeek-V3 对话', inputPrice: 20_000, outputPrice: 80_000 },
	{ code: 'qwen-max', provider: 'alibaba', displayName: '通义千问 Max', inputPrice: 24_000, outputPrice: 96_000 }
];

/** A deterministic pseudo-random sequence, so every demo instance shows the same history. */
function sequence(seed: number) {
	let state = seed;
	return (max: number) => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state % max;
	};
}

/** `perDay` (up to) events a day for each of the last 30 UTC days, today's before `now`. */
export function monthOfUsage(userId: number, keyId: number, tag: string, perDay: number, models: string[], now: Date): UsageEvent[] {
	const next = sequence(userId * 7919 + tag.length);
	const events: UsageEvent[] = [];
	const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	for (let day = 29; day >= 0; day--) {
		const count = 1 + next(perDay);
		const span = day === 0 ? Math.max(1, now.getTime() - midnight) : DAY;
		for (let i = 0; i < count; i++) {
			const occurredAt = new Date(midnight - day * DAY + next(span));
			events.push({
				requestId: `demo-${tag}-${day}-${i}`,
				userId,
				apiKeyId: keyId,
				model: models[next(models.length)],
				inputTokens: 300 + next(6_000),
				outputTokens: 50 + next(1_500),
				occurredAt,
				metadata: { source: 'demo' }
			});
		}
	}
	return events;
}

/** Demo step: a realistic price list, a service key, a month of usage for Alice and Bob, and Carol in arrears. */
export async function seedUsage(db: Db, demoUsers: DemoUsers): Promise<void> {
	const now = new Date();
	const admin = demoUsers['admin@tally.local'];
	const listedFrom = new Date(now.getTime() - 90 * DAY);
	for (const p of priceList) await setModelPrice(db, { ...p, effectiveFrom: listedFrom, actorUserId: admin });
	// DeepSeek cut its price 20 days ago: older usage keeps the old price.
	await setModelPrice(db, { code: 'deepseek-chat', provider: 'deepseek', inputPrice: 10_000, outputPrice: 20_000, effectiveFrom: new Date(now.getTime() - 20 * DAY), actorUserId: admin });
	// What a balance buys is shown for deepseek-chat first.
	await saveFeaturedModels(db, ['deepseek-chat'], admin);

	// A platform gateway's key (bills any user), owned by the service account; its secret is discarded — `npm run cli` makes usable keys.
	const gateway = await createApiKey(db, demoUsers[demoServiceAccount.email], { name: '演示网关 demo gateway', scopes: ['usage:write'] });
	const alice = demoUsers['alice@tally.local'];
	const bob = demoUsers['bob@tally.local'];
	const carol = demoUsers['carol@tally.local'];
	const events = [
		...monthOfUsage(alice, gateway.id, 'alice', 6, ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'deepseek-chat'], now),
		...monthOfUsage(bob, gateway.id, 'bob', 3, ['deepseek-chat', 'qwen-max', 'gpt-4o-mini'], now)
	];
	await settleUsage(db, events, { now, log: false });

	// Carol runs long Claude jobs until her own wallet is in arrears.
	const carolWallet = await userWalletId(db, carol);
	for (let i = 0; i < 50 && (await walletBalance(db, carolWallet)) >= 0; i++) {
		await settleUsage(
			db,
			[{ requestId: `demo-carol-${i}`, userId: carol, apiKeyId: gateway.id, model: 'claude-sonnet-4', inputTokens: 40_000, outputTokens: 250_000, occurredAt: new Date(now.getTime() - (i + 1) * 3_600_000) }],
			{ now, log: false }
		);
	}
}
