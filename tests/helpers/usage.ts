import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { ledgerEntries, usageRecords, wallets } from '../../src/lib/server/db/schema';
import { setModelPrice } from '../../src/lib/server/usage/models';

let modelSeq = 0;

/** A fresh model with one price row in force since 2020, so any test event is priced. */
export async function makeModel(db: Db, inputPrice = 2_500, outputPrice = 10_000, code?: string) {
	const name = code ?? `test-model-${process.pid}-${modelSeq++}`;
	const { model } = await setModelPrice(db, {
		code: name,
		provider: 'test',
		inputPrice,
		outputPrice,
		effectiveFrom: new Date('2020-01-01T00:00:00Z')
	});
	return model;
}

export async function balanceOfUser(db: Db, userId: number): Promise<number> {
	const [w] = await db.select({ balance: wallets.balance }).from(wallets).where(eq(wallets.userId, userId));
	return w.balance;
}

export async function counts(db: Db) {
	const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(usageRecords);
	const [e] = await db.select({ n: sql<number>`count(*)::int` }).from(ledgerEntries);
	const [d] = await db.execute<{ n: number }>(sql`select coalesce(sum(requests), 0)::int as n from usage_daily`);
	return { records: r.n, entries: e.n, dailyRequests: d.n };
}
