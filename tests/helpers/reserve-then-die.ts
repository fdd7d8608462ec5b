/**
 * A gateway process for tests/integration/holds.test.ts that places a hold of 500 credits for
 * one second and is killed (SIGKILL) before it can settle or release it.
 */
import { connect } from '../../src/lib/server/db/client';
import { reserveCredit } from '../../src/lib/server/usage/authorize';

const handle = connect(process.env.DATABASE_URL!, { max: 2 });
const answer = await reserveCredit(handle.db, {
	userId: Number(process.env.HOLD_USER),
	model: process.env.HOLD_MODEL!,
	requestId: process.env.HOLD_REQUEST!,
	estimatedCost: 500,
	ttlSeconds: 1,
	placedBy: Number(process.env.HOLD_BY),
	apiKeyId: null
});
if (!answer.allowed) process.exit(3);
process.kill(process.pid, 'SIGKILL');
