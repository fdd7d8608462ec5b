import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { overrideConfig } from '../../src/lib/server/config';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { seedAccounts } from '../../src/lib/server/seed/accounts';
import { seedUsage } from '../../src/lib/server/seed/usage';
import { listModels } from '../../src/lib/server/usage/models';
import { userBalance } from '../../src/lib/server/usage/summary';
import { useTestDatabase } from '../helpers/db';

const t = useTestDatabase();

describe('usage demo step', () => {
	it('loads priced models, a month of usage for Alice and Bob, Carol in arrears, and a clean ledger', async () => {
		overrideConfig({ WELCOME_CREDITS: 1_000_000 });
		const demoUsers = await seedAccounts(t.db);
		await seedUsage(t.db, demoUsers);
		const models = await listModels(t.db);
		expect(models.map((m) => m.code).sort()).toEqual(['claude-sonnet-4', 'deepseek-chat', 'gpt-4o', 'gpt-4o-mini', 'qwen-max']);
		expect(models.find((m) => m.code === 'deepseek-chat')).toMatchObject({ inputPrice: 10_000, outputPrice: 20_000 });
		const days = await t.db.execute<{ email: string; days: number; requests: number }>(sql`
			select u.email, count(distinct d.day)::int as days, sum(d.requests)::int as requests
			from usage_daily d join users u on u.id = d.user_id group by u.email order by u.email`);
		const byEmail = Object.fromEntries(days.map((d) => [d.email, d]));
		expect(byEmail['alice@tally.local'].days).toBeGreaterThanOrEqual(29);
		expect(byEmail['bob@tally.local'].days).toBeGreaterThanOrEqual(29);
		expect((await userBalance(t.db, demoUsers['carol@tally.local'])).in_arrears).toBe(true);
		expect((await userBalance(t.db, demoUsers['alice@tally.local'])).in_arrears).toBe(false);
		const report = await verifyLedger(t.db);
		expect(report.drifts).toEqual([]);
		expect(report.orphanUsage).toBe(0);
	});
});
