import type { Db } from '../src/lib/server/db/client';
import { settleUsage } from '../src/lib/server/usage/settle';

export interface InProcessResult {
	eps: number;
	ok: number;
	failed: number;
	p50: number;
	p99: number;
}

/** `clients` concurrent callers each settle one event at a time (no HTTP) for `seconds`; users drawn from [min, max]. */
export async function settleInProcess(db: Db, users: [number, number], prefix: string, clients: number, seconds: number, model = 'bench-model'): Promise<InProcessResult> {
	const until = Date.now() + seconds * 1000;
	const latencies: number[] = [];
	let failed = 0;
	await Promise.all(
		Array.from({ length: clients }, async (_, c) => {
			for (let i = 0; Date.now() < until; i++) {
				const userId = users[0] + Math.floor(Math.random() * (users[1] - users[0] + 1));
				const started = performance.now();
				const [result] = await settleUsage(db, [{ requestId: `${prefix}-${c}-${i}`, userId, model, inputTokens: 200 + (i % 3000), outputTokens: 50 + (i % 800) }], { log: false });
				if (result.status === 'settled') latencies.push(performance.now() - started);
				else failed++;
			}
		})
	);
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
	return { eps: Math.round(latencies.length / seconds), ok: latencies.length, failed, p50: at(0.5), p99: at(0.99) };
}
