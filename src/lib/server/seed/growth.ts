import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { config } from '../config';
import { createUser } from '../auth/accounts';
import { createBatch } from '../codes/batches';
import { inviterOf, recordReferral } from '../rebates/invites';
import { createOrder } from '../recharge/orders';
import { settleSandboxOrder } from '../recharge/sandbox-pay';
import type { DemoUsers } from './demo';

/** A code anyone may try on the demo instance (one use per account). */
export const DEMO_CODE = 'TALLY-DEMO-2026-GIFT';
export const demoInvitee = { email: 'dave@tally.local', password: 'tally-demo-1', name: 'Dave 赵' };

/**
 * A batch of redemption codes (one multi-use code with a known text, two random ones), and Alice
 * as an inviter: Dave signed up through her link and paid ¥50, which earned her a rebate.
 */
export async function seedGrowth(db: Db, demoUsers: DemoUsers): Promise<void> {
	const adminId = demoUsers['admin@tally.local'];
	const aliceId = demoUsers['alice@tally.local'];
	if (adminId === undefined || aliceId === undefined) return;
	const cpu = config().CREDITS_PER_UNIT;
	await createBatch(db, adminId, {
		name: '演示兑换码 Demo codes',
		kind: 'credits',
		credits: 5 * cpu,
		count: 1,
		expiresAt: new Date(Date.now() + 365 * 86_400_000),
		usesPerCode: 10_000,
		usesPerUser: 1,
		presetCodes: [DEMO_CODE]
	});

	const { code } = await inviterOf(db, aliceId);
	const dave = await createUser(db, demoInvitee);
	await recordReferral(db, dave.id, code);
	const [row] = await db.select({ id: users.id, email: users.email, name: users.name, role: users.role, locale: users.locale }).from(users).where(eq(users.id, dave.id));
	const order = await createOrder(db, row, { amountCredits: 50 * cpu, method: 'sandbox' });
	const outcome = await settleSandboxOrder(db, order, 'paid');
	if (outcome.result !== 'credited') throw new Error(`demo invitee's recharge was not credited: ${JSON.stringify(outcome)}`);
}
