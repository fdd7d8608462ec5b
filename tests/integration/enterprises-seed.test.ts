import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { useTestDatabase } from '../helpers/db';
import { callerFor } from '../helpers/callers';

const t = useTestDatabase();

async function demoUser(email: string) {
	const [u] = await t.db.select({ id: users.id, email: users.email, name: users.name, role: users.role, locale: users.locale }).from(users).where(eq(users.email, email));
	return u;
}

describe('enterprise demo data', () => {
	it('seeds two funded enterprises, Alice in both, with usage paid by each', async () => {
		overrideConfig({ LOG_SETTLEMENTS: false });
		expect(await seedDemo(t.db)).toBe(true);
		const [alice, bob, carol] = [await demoUser('alice@tally.local'), await demoUser('bob@tally.local'), await demoUser('carol@tally.local')];
		const mine = await callerFor(t.db, alice).enterprises.mine();
		expect(mine.map((g) => g.name)).toEqual(['星河科技 Galaxy Tech', '云帆数据 Cloudsail Data']);
		const [galaxy, cloudsail] = mine;
		expect(galaxy).toMatchObject({ admin_name: bob.name, monthly_limit: 100_000 });
		expect(galaxy.spent_this_month).toBeGreaterThan(90_000);
		expect(galaxy.spent_this_month).toBeLessThanOrEqual(100_000);

		const galaxyReport = await callerFor(t.db, bob).enterprises.report({ enterprise_id: galaxy.id });
		expect(galaxyReport.rows.find((r) => r.email === alice.email)?.requests).toBe(5);
		expect(galaxyReport.rows.find((r) => r.email === carol.email)?.requests).toBe(3);
		const cloudsailReport = await callerFor(t.db, carol).enterprises.report({ enterprise_id: cloudsail.id });
		expect(cloudsailReport.rows.find((r) => r.email === alice.email)?.requests).toBe(3);
		expect(cloudsailReport.rows.find((r) => r.email === bob.email)?.requests).toBe(4);
		// Bob administers Galaxy only.
		await expect(callerFor(t.db, bob).enterprises.report({ enterprise_id: cloudsail.id })).rejects.toThrow();
		expect(await verifyLedger(t.db)).toMatchObject({ drifts: [], orphanUsage: 0, violations: [] });
	});
});
