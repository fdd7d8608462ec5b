/**
 * A separate "app process" for tests/integration/usage-processes.test.ts: its own pool and its
 * own settlement queue. Reads usage events as JSON on stdin, settles them all at once (one call
 * per event, so the queue coalesces them), prints the results as JSON on stdout.
 */
import { connect } from '../../src/lib/server/db/client';
import { settleUsage, type UsageEvent } from '../../src/lib/server/usage/settle';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const events = JSON.parse(Buffer.concat(chunks).toString('utf8')) as UsageEvent[];
const handle = connect(process.env.DATABASE_URL!, { max: 6 });
try {
	const results = (await Promise.all(events.map((e) => settleUsage(handle.db, [e])))).flat();
	process.stdout.write(JSON.stringify(results));
} finally {
	await handle.close();
}
