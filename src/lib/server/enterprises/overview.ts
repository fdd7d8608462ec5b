import type { DbOrTx } from '../db/client';
import { userWalletId, walletBalance } from '../ledger/wallets';
import { adminsOf } from './enterprises';
import { enterpriseSpendThisMonth, limitLeft, spendOf } from './limits';
import { primaryEnterprise, userEnterprises } from './membership';

/**
 * GET /groups/admin-credit of requirement doc multi-group-credit-deduction: the user's own balance; the primary (earliest-joined)
 * enterprise at the top level with its wallet balance and first admin; every active enterprise in payment order.
 */
export async function adminCredit(db: DbOrTx, userId: number) {
	const userCredit = await walletBalance(db, await userWalletId(db, userId));
	const list = await userEnterprises(db, userId);
	const admins = await adminsOf(db, list.map((g) => g.enterpriseId));
	const enterprises = list.map((g) => {
		const first = admins.get(g.enterpriseId)?.[0];
		return { id: g.enterpriseId, name: g.name, admin_id: first?.id ?? null, admin_name: first?.name ?? null, admin_credit: g.balance };
	});
	const primary = primaryEnterprise(list);
	const top = primary ? (enterprises.find((g) => g.id === primary.enterpriseId) ?? null) : null;
	return {
		user_credit: userCredit,
		admin_credit: top?.admin_credit ?? null,
		admin_id: top?.admin_id ?? null,
		admin_name: top?.admin_name ?? null,
		enterprise_id: top?.id ?? null,
		enterprise_name: top?.name ?? null,
		enterprises
	};
}

/** "My enterprises": each active enterprise in payment order, whether it can pay now, my limit and spend. */
export async function myEnterprises(db: DbOrTx, userId: number, at: Date) {
	const list = await userEnterprises(db, userId);
	const ids = list.map((g) => g.enterpriseId);
	const admins = await adminsOf(db, ids);
	const spend = await enterpriseSpendThisMonth(db, [userId], at, ids);
	const primary = primaryEnterprise(list);
	return list.map((g) => {
		const spent = spendOf(spend, userId, g.enterpriseId);
		const left = limitLeft(g.monthlyLimit, spent);
		return {
			id: g.enterpriseId,
			name: g.name,
			description: g.description,
			joined_at: g.joinedAt,
			suspended: g.suspended,
			balance: g.balance,
			admin_name: admins.get(g.enterpriseId)?.[0]?.name ?? null,
			monthly_limit: g.monthlyLimit,
			spent_this_month: spent,
			limit_left: left,
			can_pay: !g.suspended && g.balance > 0 && (left === null || left > 0),
			is_primary: primary?.enterpriseId === g.enterpriseId
		};
	});
}
