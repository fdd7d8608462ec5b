import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import type { SettleResult } from '../../src/lib/server/usage/settle';
import { useTestDatabase } from '../helpers/db';
import { makeUser } from '../helpers/callers';
import { balanceOfUser, makeModel } from '../helpers/usage';
import { settleInOtherProcess } from '../helpers/usage-workers';

const t = useTestDatabase();

describe('two app processes settling at once', () => {
	it('bill each overlapping request id once and leave the ledger verifiable', async () => {
		const users = await Promise.all([makeUser(t.db), makeUser(t.db), makeUser(t.db)]);
		const model = await makeModel(t.db, 3_000, 9_000);
		const events = Array.from({ length: 300 }, (_, i) => ({
			requestId: `proc-${process.pid}-${i}`,
			userId: users[i % 3].id,
			model: model.code,
			inputTokens: 200 + i,
			outputTokens: 100 + (i % 50)
		}));
		// process A gets events 0..199, process B gets 100..299 in reverse: 100 ids overlap.
		const [a, b] = await Promise.all([settleInOtherProcess(t.url, events.slice(0, 200)), settleInOtherProcess(t.url, events.slice(100).reverse())]);
		const all = [...a, ...b];
		const byId = new Map<string, SettleResult[]>();
		for (const r of all) byId.set(r.request_id, [...(byId.get(r.request_id) ?? []), r]);
		expect(byId.size).toBe(300);
		for (const [, results] of byId) {
			expect(results.filter((r) => r.status === 'settled')).toHaveLength(1);
			expect(results.every((r) => r.status !== 'rejected')).toBe(true);
			expect(new Set(results.map((r) => r.cost)).size).toBe(1);
		}
		const [{ n }] = await t.db.execute<{ n: string }>(sql`select count(*) as n from ledger_entries where idempotency_key like ${`usage:proc-${process.pid}-%`}`);
		expect(Number(n)).toBe(300);
		for (const user of users) {
			const expected = events
				.filter((e) => e.userId === user.id)
				.reduce((s, e) => s + Math.ceil((e.inputTokens * 3_000 + e.outputTokens * 9_000) / 1e6), 0);
			expect(await balanceOfUser(t.db, user.id)).toBe(1_000_000 - expected);
		}
		const report = await verifyLedger(t.db);
		expect(report.drifts).toEqual([]);
		expect(report.orphanUsage).toBe(0);
	});
});
