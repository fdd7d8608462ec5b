import PgBoss from 'pg-boss';
import type { DbHandle } from '../db/client';
import { runExpiry } from '../ledger/expiry';
import { log } from '../log';

/** Writes off expired grants and marks expired holds (ledger/expiry.ts). */
export const EXPIRY_QUEUE = 'ledger-expiry';

export interface JobQueue {
	boss: PgBoss;
	stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL-backed job queue (pg-boss, schema `pgboss`) on the app's database and
 * its worker: the expiry job runs on `schedule` (cron, every minute by default). Every app
 * instance starts one; pg-boss creates each scheduled job once across instances, one worker takes
 * it, and the job itself is safe to run twice.
 */
export async function startJobs(handle: DbHandle, opts: { schedule?: string; pollingIntervalSeconds?: number } = {}): Promise<JobQueue> {
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
	await boss.createQueue(EXPIRY_QUEUE, { name: EXPIRY_QUEUE, policy: 'singleton' });
	await boss.schedule(EXPIRY_QUEUE, opts.schedule ?? '* * * * *', {}, { tz: 'UTC' });
	await boss.work(EXPIRY_QUEUE, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async () => {
		await runExpiry(handle.db);
	});
	return { boss, stop: () => boss.stop({ graceful: true, timeout: 5_000 }) };
}
