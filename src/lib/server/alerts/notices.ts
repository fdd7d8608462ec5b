import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import type { AlertKind } from '../db/schema';

export class AlertNotFoundError extends Error {}

export interface AlertNotice {
	id: number;
	kind: AlertKind;
	balance: number;
	threshold: number;
	percent: number | null;
	/** Set when the wallet is an enterprise's (the reader administers it). */
	enterpriseId: number | null;
	enterpriseName: string | null;
	createdAt: Date;
}

/** Alerts of wallets the user receives alerts for: their own, and the enterprises they administer. */
const recipientWallets = (userId: number) => sql`(
	select w.id from wallets w where w.user_id = ${userId}
	union all
	select w.id from wallets w join enterprise_admins ga on ga.enterprise_id = w.enterprise_id where ga.user_id = ${userId}
)`;

/** Undismissed alerts of the last 30 days, newest first: the header notice. */
export async function listNotices(db: DbOrTx, userId: number, limit = 5): Promise<AlertNotice[]> {
	const rows = await db.execute<{
		id: string;
		kind: AlertKind;
		balance: string;
		threshold: string;
		percent: number | null;
		enterprise_id: number | null;
		enterprise_name: string | null;
		created_at: string;
	}>(sql`
		select a.id, a.kind, a.balance, a.threshold, a.percent, w.enterprise_id, g.name as enterprise_name, a.created_at
		from alerts a join wallets w on w.id = a.wallet_id left join enterprises g on g.id = w.enterprise_id
		where a.wallet_id in ${recipientWallets(userId)}
			and a.created_at > now() - interval '30 days'
			and not exists (select 1 from alert_dismissals d where d.alert_id = a.id and d.user_id = ${userId})
		order by a.id desc limit ${limit}`);
	return rows.map((r) => ({
		id: Number(r.id),
		kind: r.kind,
		balance: Number(r.balance),
		threshold: Number(r.threshold),
		percent: r.percent,
		enterpriseId: r.enterprise_id,
		enterpriseName: r.enterprise_name,
		createdAt: new Date(r.created_at)
	}));
}

/** Hides the notice for this user; another recipient still sees it. */
export async function dismissNotice(db: DbOrTx, userId: number, alertId: number): Promise<void> {
	const rows = await db.execute<{ id: string }>(sql`
		select a.id from alerts a where a.id = ${alertId} and a.wallet_id in ${recipientWallets(userId)}`);
	if (rows.length === 0) throw new AlertNotFoundError('alert_not_found');
	await db.execute(sql`insert into alert_dismissals (alert_id, user_id) values (${alertId}, ${userId}) on conflict do nothing`);
}
