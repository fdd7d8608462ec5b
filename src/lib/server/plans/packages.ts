import { eq } from 'drizzle-orm';
import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db, DbOrTx } from '../db/client';
import { orders, packages, type GrantUnit } from '../db/schema';
import { issueGrant } from '../ledger/grants';
import { userWalletId } from '../ledger/wallets';
import { openOrder } from '../recharge/orders';
import { loadRechargeSettings } from '../recharge/settings';
import { PlanError } from './errors';

type OrderRow = typeof orders.$inferSelect;

interface PackageMeta {
	package_id: number;
	package_name: string;
	unit: GrantUnit;
	amount: number;
	bonus: number;
	validity_days: number | null;
}

/** An order for a package; the order records what it grants, so a later change to the package does not touch it. */
export async function buyPackage(db: Db, userId: number, input: { packageId: number; method: PaymentMethod; expectedPrice?: number }, now = new Date()) {
	const [pkg] = await db.select().from(packages).where(eq(packages.id, input.packageId));
	if (!pkg) throw new PlanError('package_not_found');
	if (!pkg.active) throw new PlanError('package_inactive');
	if (input.expectedPrice !== undefined && input.expectedPrice !== pkg.price) throw new PlanError('price_changed');
	const s = await loadRechargeSettings(db);
	const meta: PackageMeta = { package_id: pkg.id, package_name: pkg.name, unit: pkg.unit, amount: pkg.amount, bonus: pkg.bonus, validity_days: pkg.validityDays };
	return openOrder(
		db,
		userId,
		{ walletId: await userWalletId(db, userId), amountCredits: pkg.price, method: input.method, kind: 'package', metadata: { ...meta }, orderTtlMinutes: s.orderTtlMinutes },
		now
	);
}

/**
 * A paid package order, inside confirmPayment's transaction: two grants, the amount and the bonus
 * (so the receipt shows both), valid for the package's days from payment. Returns the bonus.
 */
export async function fulfilPackageOrder(tx: DbOrTx, order: OrderRow, now: Date): Promise<number> {
	const meta = order.metadata as PackageMeta;
	const expiresAt = meta.validity_days ? new Date(now.getTime() + meta.validity_days * 86_400_000) : null;
	const common = { walletId: order.walletId, source: 'package' as const, unit: meta.unit, effectiveFrom: now, expiresAt, actorUserId: order.userId };
	await issueGrant(tx, { ...common, amount: meta.amount, memo: meta.package_name, idempotencyKey: `order:${order.id}:package` });
	if (meta.bonus > 0) await issueGrant(tx, { ...common, amount: meta.bonus, memo: `${meta.package_name} (bonus)`, idempotencyKey: `order:${order.id}:package-bonus` });
	return meta.bonus;
}
