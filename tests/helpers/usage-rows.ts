import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { usageRecords } from '../../src/lib/server/db/schema';
import { postEntry } from '../../src/lib/server/ledger/post';

export interface RawUsage {
	requestId: string;
	userId: number;
	walletId: number;
	groupId?: number | null;
	model: string;
	inputTokens: number;
	outputTokens: number;
	cost: number;
	occurredAt: Date;
}

/**
 * Writes a settled usage event the way settlement does (usage record, ledger entry keyed
 * usage:<request_id>, usage_daily upsert, one transaction), for dashboard tests.
 */
export async function insertSettledUsage(db: Db, u: RawUsage): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.insert(usageRecords).values({
			requestId: u.requestId,
			userId: u.userId,
			model: u.model,
			inputTokens: u.inputTokens,
			outputTokens: u.outputTokens,
			cost: u.cost,
			walletId: u.walletId,
			groupId: u.groupId ?? null,
			regularUsed: u.cost,
			occurredAt: u.occurredAt
		});
		await postEntry(tx, {
			walletId: u.walletId,
			amount: -u.cost,
			kind: 'usage',
			idempotencyKey: `usage:${u.requestId}`,
			reference: `usage:${u.requestId}`
		});
		await tx.execute(sql`
			insert into usage_daily (day, user_id, wallet_id, model, requests, input_tokens, output_tokens, cost)
			values ((${u.occurredAt.toISOString()}::timestamptz at time zone 'UTC')::date, ${u.userId}, ${u.walletId}, ${u.model}, 1,
				${u.inputTokens}, ${u.outputTokens}, ${u.cost})
			on conflict (user_id, day, model, wallet_id) do update set
				requests = usage_daily.requests + 1,
				input_tokens = usage_daily.input_tokens + excluded.input_tokens,
				output_tokens = usage_daily.output_tokens + excluded.output_tokens,
				cost = usage_daily.cost + excluded.cost`);
	});
}
