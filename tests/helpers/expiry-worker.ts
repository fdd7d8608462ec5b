/**
 * A separate "app process" for tests/integration/grants.test.ts: runs the expiry job once at the
 * instant given in EXPIRY_NOW (or, with EXPIRY_QUEUE=1, starts the pg-boss worker, sends one job
 * and waits until it completed) and prints its report as JSON.
 */
import { connect } from '../../src/lib/server/db/client';
import { runExpiry } from '../../src/lib/server/ledger/expiry';
import { EXPIRY_QUEUE, startJobs } from '../../src/lib/server/jobs/queue';

const handle = connect(process.env.DATABASE_URL!, { max: 4 });
try {
	if (process.env.EXPIRY_QUEUE === '1') {
		const jobs = await startJobs(handle, { schedule: '0 0 1 1 *', pollingIntervalSeconds: 0.5 });
		const id = await jobs.boss.send(EXPIRY_QUEUE, {});
		for (let i = 0; i < 60; i++) {
			const job = id ? await jobs.boss.getJobById(EXPIRY_QUEUE, id) : null;
			if (!id || job?.state === 'completed' || job?.state === 'failed') {
				process.stdout.write(JSON.stringify({ job: job?.state ?? 'not_sent' }));
				break;
			}
			await new Promise((r) => setTimeout(r, 250));
		}
		await jobs.stop();
	} else {
		const report = await runExpiry(handle.db, new Date(process.env.EXPIRY_NOW!));
		process.stdout.write(JSON.stringify(report));
	}
} finally {
	await handle.close();
}
