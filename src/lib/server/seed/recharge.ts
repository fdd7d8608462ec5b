import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { config } from '../config';
import { createOrder } from '../recharge/orders';
import { notifySandboxPayment } from '../recharge/sandbox-pay';
import type { DemoUsers } from './demo';

/** Bob has already paid the ¥100 tier through the sandbox, so his page shows one used tier. */
export async function seedRecharge(db: Db, demoUsers: DemoUsers): Promise<void> {
	const bobId = demoUsers['bob@tally.local'];
	if (bobId === undefined) return;
	const [bob] = await db.select({ id: users.id, email: users.email, name: users.name, role: users.role, locale: users.locale }).from(users).where(eq(users.id, bobId));
	const order = await createOrder(db, bob, { amountCredits: 100 * config().CREDITS_PER_UNIT, method: 'sandbox' });
	const outcome = await notifySandboxPayment(db, order.publicId, 'paid');
	if (outcome.result !== 'credited') throw new Error(`demo recharge was not credited: ${JSON.stringify(outcome)}`);
}
