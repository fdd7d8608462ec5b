import type { Db } from '../src/lib/server/db/client';
import { settleUsage } from '../src/lib/server/usage/settle';

export interface InProcessResult {
	eps: number;
	ok: number;
	failed: number;
	p50: number;
	p99: number;
}

function result(latencies: number[], settled: number, failed: number, seconds: number): InProcessResult {
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
	return { eps: Math.round(settled / seconds), ok: settled, failed, p50: at(0.5), p99: at(0.99) };
}

const pick = (users: [number, number]) => users[0] + Math.floor(Math.random() * (users[1] - users[0] + 1));

/** `clients` concurrent callers each settle one event at a time (no HTTP) for `seconds`; users drawn from [min, max]. */
export async function settleInProcess(db: Db, users: [number, number], prefix: string, clients: number, seconds: number, model = 'bench-model'): Promise<InProcessResult> {
	const until = Date.now() + seconds * 1000;
	const latencies: number[] = [];
	let failed = 0;
	await Promise.all(
		Array.from({ length: clients }, async (_, c) => {
			for (let i = 0; Date.now() < until; i++) {
				const started = performance.now();
				const [r] = await settleUsage(db, [{ requestId: `${prefix}-${c}-${i}`, userId: pick(users), model, inputTokens: 200 + (i % 3000), outputTokens: 50 + (i % 800) }], { log: false });
				if (r.status === 'settled') latencies.push(performance.now() - started);
				else failed++;
			}
		})
	);
	return result(latencies, latencies.length, failed, seconds);
}

/** `clients` concurrent callers each settle batches of `size` events (no HTTP) for `seconds`; latencies are per batch. */
export async function settleBatchesInProcess(db: Db, users: [number, number], prefix: string, clients: number, size: number, seconds: number, model = 'bench-model'): Promise<InProcessResult> {
	const until = Date.now() + seconds * 1000;
	const latencies: number[] = [];
	let settled = 0;
	let failed = 0;
	await Promise.all(
		Array.from({ length: clients }, async (_, c) => {
			for (let b = 0; Date.now() < until; b++) {
				const events = Array.from({ length: size }, (_, i) => ({ requestId: `${prefix}-${c}-${b}-${i}`, userId: pick(users), model, inputTokens: 200 + (i % 3000), outputTokens: 50 + (i % 800) }));
				const started = performance.now();
				const results = await settleUsage(db, events, { log: false });
				latencies.push(performance.now() - started);
				for (const r of results) {
					if (r.status === 'settled') settled++;
					else failed++;
				}
			}
		})
	);
	return result(latencies, settled, failed, seconds);
}
