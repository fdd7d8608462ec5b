import { eq } from 'drizzle-orm';
import type { PaymentMethod } from '$lib/schemas/recharge';
import type { Db, DbOrTx } from '../db/client';
import { orders, packages, type GrantUnit } from '../db/schema';
import { issueGrant } from '../ledger/grants';
import { userWalletId } from '../ledger/wallets';
import { openOrder } from '../recharge/orders';
import { loadRechargeSettings } from '../recharge/settings';
import type { PackageRow } from './catalog';
import { PlanError } from './errors';

type OrderRow = typeof orders.$inferSelect;

export interface PackageMeta {
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
	const meta = packageMeta(pkg);
	return openOrder(
		db,
		userId,
		{ walletId: await userWalletId(db, userId), amountCredits: pkg.price, method: input.method, kind: 'package', metadata: { ...meta }, orderTtlMinutes: s.orderTtlMinutes },
		now
	);
}

/** What a package gives, as an order or a code batch records it. */
export function packageMeta(pkg: PackageRow): PackageMeta {
	return { package_id: pkg.id, package_name: pkg.name, unit: pkg.unit, amount: pkg.amount, bonus: pkg.bonus, validity_days: pkg.validityDays };
}

export interface ActivatedGrant {
	grantId: number;
	unit: GrantUnit;
	amount: number;
	bonus: boolean;
	expiresAt: Date | null;
}

/**
 * Activates a package on a wallet, in the caller's transaction: two grants, the amount and the
 * bonus (so a receipt shows both), valid for the package's days from `now`. `key` names this one
 * activation (an order, a use of a code): a retry with it adds nothing.
 */
export async function activatePackage(
	tx: DbOrTx,
	target: { walletId: number; userId: number; key: string; memo?: string },
	meta: PackageMeta,
	now: Date
): Promise<ActivatedGrant[]> {
	const expiresAt = meta.validity_days ? new Date(now.getTime() + meta.validity_days * 86_400_000) : null;
	const name = target.memo ?? meta.package_name;
	const common = { walletId: target.walletId, source: 'package' as const, unit: meta.unit, effectiveFrom: now, expiresAt, actorUserId: target.userId };
	const parts = [{ amount: meta.amount, bonus: false }, ...(meta.bonus > 0 ? [{ amount: meta.bonus, bonus: true }] : [])];
	const activated: ActivatedGrant[] = [];
	for (const part of parts) {
		const grant = await issueGrant(tx, {
			...common,
			amount: part.amount,
			memo: part.bonus ? `${name} (bonus)` : name,
			idempotencyKey: `${target.key}:${part.bonus ? 'package-bonus' : 'package'}`
		});
		activated.push({ grantId: grant.grantId, unit: meta.unit, amount: part.amount, bonus: part.bonus, expiresAt });
	}
	return activated;
}

/** A paid package order, inside confirmPayment's transaction: the package is activated from payment. Returns the bonus. */
export async function fulfilPackageOrder(tx: DbOrTx, order: OrderRow, now: Date): Promise<number> {
	const meta = order.metadata as PackageMeta;
	await activatePackage(tx, { walletId: order.walletId, userId: order.userId, key: `order:${order.id}` }, meta, now);
	return meta.bonus;
}
