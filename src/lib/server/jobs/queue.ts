import PgBoss from 'pg-boss';
import type { DbHandle } from '../db/client';
import { runExpiry } from '../ledger/expiry';
import { attemptDelivery } from '../alerts/deliver';
import { ALERT_DELIVERY_QUEUE, ALERT_DISPATCH_QUEUE, dispatchAllAlerts, type DeliveryJob } from '../alerts/dispatch';
import { log } from '../log';
import { config } from '../config';
import { runPlanResets } from '../plans/periods';

/** Writes off expired grants and marks expired holds (ledger/expiry.ts). */
export const EXPIRY_QUEUE = 'ledger-expiry';

/** Grants plan allowance periods on the 1st at 00:00 in BILLING_TIMEZONE (plans/periods.ts). */
export const PLAN_RESET_QUEUE = 'plan-reset';

export interface JobQueue {
	boss: PgBoss;
	stop(): Promise<void>;
}

/** Deadlock, serialization failure, or the same row inserted at once: what instances starting together hit. */
const RACE_CODES = new Set(['40P01', '40001', '23505']);

/**
 * Two instances starting at the same moment can deadlock in pg-boss's createQueue (seen on
 * PostgreSQL 15); both calls are idempotent, so the loser tries again.
 */
async function retryWhenRacing<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (err) {
			if (attempt >= attempts || !RACE_CODES.has((err as { code?: string }).code ?? '')) throw err;
			await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
		}
	}
}

/**
 * Starts the PostgreSQL-backed job queue (pg-boss, schema `pgboss`) on the app's database and
 * its worker: the expiry job runs on `schedule` (cron, every minute by default). Every app
 * instance starts one; pg-boss creates each scheduled job once across instances, one worker takes
 * it, and the job itself is safe to run twice.
 */
export async function startJobs(
	handle: DbHandle,
	opts: { schedule?: string; pollingIntervalSeconds?: number; alertRetryDelaySeconds?: number } = {}
): Promise<JobQueue> {
	const o = handle.sql.options;
	const boss = new PgBoss({
		host: o.host[0],
		port: o.port[0],
		database: o.database,
		user: o.user,
		password: typeof o.pass === 'string' ? o.pass : undefined,
		max: 2,
		application_name: 'tally-jobs',
		schema: 'pgboss'
	});
	boss.on('error', (err) => log.error({ err }, 'job queue error'));
	await boss.start();
	await retryWhenRacing(() => boss.createQueue(EXPIRY_QUEUE, { name: EXPIRY_QUEUE, policy: 'singleton' }));
	await retryWhenRacing(() => boss.schedule(EXPIRY_QUEUE, opts.schedule ?? '* * * * *', {}, { tz: 'UTC' }));
	await boss.work(EXPIRY_QUEUE, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async () => {
		await runExpiry(handle.db);
	});
	await retryWhenRacing(() => boss.createQueue(PLAN_RESET_QUEUE, { name: PLAN_RESET_QUEUE, policy: 'singleton' }));
	await retryWhenRacing(() => boss.schedule(PLAN_RESET_QUEUE, '0 0 1 * *', {}, { tz: config().BILLING_TIMEZONE }));
	await boss.work(PLAN_RESET_QUEUE, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async () => {
		await runPlanResets(handle.db);
	});
	// A reset missed while no instance ran is caught up now (usage would also grant it lazily).
	await boss.send(PLAN_RESET_QUEUE, {});
	const stopAlerts = await startAlertJobs(handle, boss, opts);
	return {
		boss,
		stop: async () => {
			await stopAlerts();
			await boss.stop({ graceful: true, timeout: 5_000 });
		}
	};
}

/**
 * Alerts: the wallets trigger NOTIFYs tally_alerts on commit; any instance hearing it queues a
 * dispatch (stately queue: at most one waiting, so a burst becomes one job), and a schedule every minute catches an
 * alert no instance heard. Deliveries retry with backoff; the last try marks them failed.
 */
async function startAlertJobs(handle: DbHandle, boss: PgBoss, opts: { pollingIntervalSeconds?: number; alertRetryDelaySeconds?: number }) {
	const polling = opts.pollingIntervalSeconds ?? 2;
	await retryWhenRacing(() => boss.createQueue(ALERT_DISPATCH_QUEUE, { name: ALERT_DISPATCH_QUEUE, policy: 'stately' }));
	await retryWhenRacing(() => boss.createQueue(ALERT_DELIVERY_QUEUE, { name: ALERT_DELIVERY_QUEUE }));
	await retryWhenRacing(() => boss.schedule(ALERT_DISPATCH_QUEUE, '* * * * *', {}, { tz: 'UTC' }));
	await boss.work(ALERT_DISPATCH_QUEUE, { pollingIntervalSeconds: polling }, async () => {
		await dispatchAllAlerts(handle.sql, boss, { retryDelaySeconds: opts.alertRetryDelaySeconds });
	});
	await boss.work<DeliveryJob>(ALERT_DELIVERY_QUEUE, { pollingIntervalSeconds: polling, includeMetadata: true }, async (jobs) => {
		for (const job of jobs) await attemptDelivery(handle.sql, job.data.deliveryId, job.retryCount >= job.retryLimit);
	});
	const listener = await handle.sql.listen('tally_alerts', () => {
		boss.send(ALERT_DISPATCH_QUEUE, {}).catch((err) => log.warn({ err }, 'alert dispatch not queued; the schedule will catch it'));
	});
	return () => listener.unlisten();
}
