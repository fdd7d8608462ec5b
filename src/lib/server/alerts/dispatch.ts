import type PgBoss from 'pg-boss';
import type postgres from 'postgres';
import { emailAvailable } from './settings';
import { DELIVERY_ATTEMPTS, DELIVERY_RETRY_DELAY_SECONDS } from './kinds';

/** Plans the deliveries of new alerts (alerts/dispatch.ts); woken by NOTIFY tally_alerts and every minute. */
export const ALERT_DISPATCH_QUEUE = 'alert-dispatch';
/** One webhook call or email, retried with backoff; every try is an alert_delivery_attempts row. */
export const ALERT_DELIVERY_QUEUE = 'alert-delivery';

export interface DeliveryJob {
	deliveryId: number;
}

export interface DispatchOptions {
	retryDelaySeconds?: number;
}

/**
 * Takes up to `batch` undispatched alerts (SKIP LOCKED, so instances share the work), writes one
 * delivery per recipient and channel and queues its job, all in one transaction: an alert is
 * planned exactly once, and a planned delivery always has its job. Returns how many alerts it took.
 */
export async function dispatchAlerts(sql: postgres.Sql, boss: PgBoss, opts: DispatchOptions = {}, batch = 100): Promise<number> {
	return sql.begin(async (tx) => {
		const taken = await tx<{ id: string }[]>`
			select id from alerts where dispatched_at is null order by id limit ${batch} for update skip locked`;
		if (taken.length === 0) return 0;
		const ids = taken.map((r) => r.id);
		const planned = await tx<{ id: string }[]>`
			with recipient as (
				select a.id as alert_id, w.user_id from alerts a join wallets w on w.id = a.wallet_id
				where a.id = any(${ids}::bigint[]) and w.user_id is not null
				union
				select a.id, ga.user_id from alerts a join wallets w on w.id = a.wallet_id join enterprise_admins ga on ga.enterprise_id = w.enterprise_id
				where a.id = any(${ids}::bigint[])
			), channel as (
				select r.alert_id, r.user_id, 'webhook' as channel, s.webhook_url as target
				from recipient r join alert_settings s on s.user_id = r.user_id
				where s.webhook_url is not null and s.webhook_secret is not null
				union all
				select r.alert_id, r.user_id, 'email', u.email
				from recipient r join alert_settings s on s.user_id = r.user_id join users u on u.id = r.user_id
				where s.email_enabled and ${emailAvailable()}
			)
			insert into alert_deliveries (alert_id, user_id, channel, target)
			select alert_id, user_id, channel, target from channel
			on conflict (alert_id, user_id, channel) do nothing
			returning id`;
		await tx`update alerts set dispatched_at = now() where id = any(${ids}::bigint[])`;
		// pg-boss writes the jobs through this transaction, passing values as node-postgres takes them.
		const executor = {
			executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.unsafe(text, values.map(asParameter) as never[]) })
		};
		for (const d of planned) {
			await boss.send(ALERT_DELIVERY_QUEUE, { deliveryId: Number(d.id) } satisfies DeliveryJob, {
				retryLimit: DELIVERY_ATTEMPTS - 1,
				retryDelay: opts.retryDelaySeconds ?? DELIVERY_RETRY_DELAY_SECONDS,
				retryBackoff: true,
				db: executor
			});
		}
		return taken.length;
	});
}

function asParameter(v: unknown): unknown {
	if (v === undefined || v === null) return null;
	if (v instanceof Date) return v.toISOString();
	if (typeof v === 'object') return JSON.stringify(v);
	return v;
}

/** Dispatches until nothing is waiting. */
export async function dispatchAllAlerts(sql: postgres.Sql, boss: PgBoss, opts: DispatchOptions = {}): Promise<number> {
	let total = 0;
	for (;;) {
		const n = await dispatchAlerts(sql, boss, opts);
		total += n;
		if (n === 0) return total;
	}
}
