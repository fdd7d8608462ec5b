import type { Db } from '../../src/lib/server/db/client';
import { usageRecords } from '../../src/lib/server/db/schema';
import { postEntry } from '../../src/lib/server/ledger/post';
import { rollUpUsage } from '../../src/lib/server/usage/settle-batch';

export interface RawUsage {
	requestId: string;
	userId: number;
	walletId: number;
	enterpriseId?: number | null;
	model: string;
	inputTokens: number;
	outputTokens: number;
	cost: number;
	occurredAt: Date;
}

/**
 * Writes a settled usage event the way settlement does (usage record, ledger entry keyed
 * usage:<request_id>, settlement's roll-up statement, one transaction), for dashboard tests.
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
			enterpriseId: u.enterpriseId ?? null,
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
		await rollUpUsage(tx, [u]);
	});
}
