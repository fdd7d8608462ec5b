import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { subscriptions } from '../db/schema';
import { addMonths } from '../plans/calendar';
import { createPackage, createPlan } from '../plans/catalog';
import { ensureCurrentPeriods } from '../plans/periods';
import { setModelPrice } from '../usage/models';
import { settleUsage, type UsageEvent } from '../usage/settle';
import type { DemoUsers } from './demo';

const HOUR = 3_600_000;

/**
 * Demo step: two plans, a token package, an image model, and Alice on the Starter plan with part
 * of this month's tokens and images used.
 */
export async function seedPlans(db: Db, demoUsers: DemoUsers): Promise<void> {
	const now = new Date();
	const admin = demoUsers['admin@tally.local'];
	const alice = demoUsers['alice@tally.local'];
	const starter = await createPlan(db, {
		name: '入门版 Starter',
		price: 290_000,
		allowance_credits: 0,
		allowance_tokens: 2_000_000,
		allowance_images: 50,
		rollover_cap_percent: null,
		active: true
	});
	await createPlan(db, {
		name: '专业版 Pro',
		price: 990_000,
		allowance_credits: 100_000,
		allowance_tokens: 10_000_000,
		allowance_images: 300,
		rollover_cap_percent: 20,
		active: true
	});
	await createPackage(db, { name: '5M tokens + 1M', unit: 'tokens', amount: 5_000_000, bonus: 1_000_000, price: 300_000, validity_days: 90, active: true });
	// An image model: ¥0.29 per image, prompt tokens at the usual rate.
	await setModelPrice(db, {
		code: 'gpt-image-1',
		provider: 'openai',
		displayName: 'GPT Image 1',
		type: 'image',
		inputPrice: 36_000,
		outputPrice: 0,
		imagePrice: 2_900,
		effectiveFrom: new Date(now.getTime() - 90 * 24 * HOUR),
		actorUserId: admin
	});

	const startedAt = new Date(now.getTime() - 2 * HOUR);
	await db.transaction(async (tx) => {
		await tx.execute(sql`select id from wallets where user_id = ${alice} for update`);
		await tx.insert(subscriptions).values({ userId: alice, planId: starter.id, startedAt, paidThrough: addMonths(startedAt, 3) });
		await ensureCurrentPeriods(tx, [alice], now);
	});
	const events: UsageEvent[] = [
		{ requestId: 'demo-alice-plan-0', userId: alice, model: 'gpt-4o-mini', inputTokens: 420_000, outputTokens: 180_000, occurredAt: new Date(now.getTime() - HOUR) },
		{ requestId: 'demo-alice-plan-1', userId: alice, model: 'deepseek-chat', inputTokens: 150_000, outputTokens: 90_000, occurredAt: new Date(now.getTime() - 30 * 60_000) },
		{ requestId: 'demo-alice-img-0', userId: alice, model: 'gpt-image-1', inputTokens: 1_200, outputTokens: 0, images: 8, occurredAt: new Date(now.getTime() - 50 * 60_000) },
		{ requestId: 'demo-alice-img-1', userId: alice, model: 'gpt-image-1', inputTokens: 900, outputTokens: 0, images: 4, occurredAt: new Date(now.getTime() - 10 * 60_000) }
	];
	await settleUsage(db, events, { now, log: false });
}
