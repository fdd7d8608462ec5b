import type { Db } from '../db/client';
import { postEntry } from '../ledger/post';
import { addMember } from '../enterprises/membership';
import { createEnterprise } from '../enterprises/enterprises';
import { setMemberLimit } from '../enterprises/limits';
import { settleUsage, type UsageEvent } from '../usage/settle';
import type { DemoUsers } from './demo';
import { monthBounds } from '../calendar';

const HOUR = 60 * 60 * 1000;

/** Spread over the last days of this month (never before its first instant, so the reports show it). */
function recent(hoursAgo: number, now: Date): Date {
	return new Date(Math.max(monthBounds(now).start.getTime() + 60_000, now.getTime() - hoursAgo * HOUR));
}

/**
 * Two enterprises: 星河科技 (admin Bob; members Alice and Carol) and 云帆数据 (admin Carol; members
 * Alice and Bob). Alice is in both, Galaxy first, with a monthly limit there, so part of her usage
 * falls through to Cloudsail.
 */
export async function seedEnterprises(db: Db, demoUsers: DemoUsers): Promise<void> {
	const admin = demoUsers['admin@tally.local'];
	const alice = demoUsers['alice@tally.local'];
	const bob = demoUsers['bob@tally.local'];
	const carol = demoUsers['carol@tally.local'];

	const galaxy = await createEnterprise(db, { name: '星河科技 Galaxy Tech', description: '研发团队的 AI 用量由企业统一支付', adminUserIds: [bob] });
	const cloudsail = await createEnterprise(db, { name: '云帆数据 Cloudsail Data', description: '数据标注与分析团队', adminUserIds: [carol] });
	await postEntry(db, { walletId: galaxy.walletId, amount: 5_000_000, kind: 'adjustment', idempotencyKey: `seed:enterprise-fund:${galaxy.id}`, memo: '企业预存 / Enterprise deposit', actorUserId: admin });
	await postEntry(db, { walletId: cloudsail.walletId, amount: 2_000_000, kind: 'adjustment', idempotencyKey: `seed:enterprise-fund:${cloudsail.id}`, memo: '企业预存 / Enterprise deposit', actorUserId: admin });

	await addMember(db, galaxy.id, alice, bob);
	await addMember(db, galaxy.id, carol, bob);
	await addMember(db, cloudsail.id, alice, carol);
	await addMember(db, cloudsail.id, bob, carol);
	await setMemberLimit(db, galaxy.id, alice, 100_000);

	const now = new Date();
	const events: UsageEvent[] = [];
	const add = (userId: number, n: number, model: string, tokens: [number, number]) => {
		for (let i = 0; i < n; i++) {
			events.push({
				requestId: `demo-enterprise-${userId}-${events.length}`,
				userId,
				model,
				inputTokens: tokens[0] + i * 37,
				outputTokens: tokens[1] + i * 11,
				occurredAt: recent(events.length * 7 + 1, now),
				metadata: { source: 'demo' }
			});
		}
	};
	// Priced by the usage step's models. Alice's first five (about ¥1.98 each) fit her ¥10 Galaxy
	// limit; the rest fall through to Cloudsail.
	add(alice, 8, 'gpt-4o', [50_000, 15_000]);
	add(carol, 3, 'deepseek-chat', [200_000, 60_000]);
	add(bob, 4, 'qwen-max', [90_000, 25_000]);
	// One at a time, in time order, so the limit applies as it would have live.
	events.sort((a, b) => a.occurredAt!.getTime() - b.occurredAt!.getTime());
	for (const event of events) await settleUsage(db, [event], { log: false });
}
