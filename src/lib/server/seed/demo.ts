import { count } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { demoAccounts, seedAccounts } from './accounts';
import { seedRecharge } from './recharge';
import { seedEnterprises } from './enterprises';
import { seedGrowth } from './growth';
import { seedUsage } from './usage';
import { seedPlans } from './plans';

/** Ids of the demo accounts by email, handed to each area's seeding step. */
export type DemoUsers = Record<string, number>;

/** Each area adds its own step; steps run in this order on an empty database. */
const steps: Array<(db: Db, demoUsers: DemoUsers) => Promise<void>> = [seedRecharge, seedUsage, seedEnterprises, seedGrowth, seedPlans];

export async function seedDemo(db: Db): Promise<boolean> {
	const [{ n }] = await db.select({ n: count() }).from(users);
	if (n > 0) return false;
	const demoUsers = await seedAccounts(db);
	for (const step of steps) await step(db, demoUsers);
	return true;
}

export function demoSignIns(): string {
	return demoAccounts.map((a) => `  ${a.role === 'admin' ? 'admin' : 'user '}  ${a.email}  /  ${a.password}`).join('\n');
}
