import { describe, expect, it } from 'vitest';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { databaseCircuit } from './instance';
import { noteDatabaseFailure, withDatabaseOutage } from './outage-response';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function eventFor(path: string, init: RequestInit = {}): RequestEvent {
	const url = new URL(`http://tally.test${path}`);
	return { url, request: new Request(url, init), cookies: { get: () => undefined } } as unknown as RequestEvent;
}

/** Each test starts with the database believed up (the circuit's probe here always succeeds). */
async function circuitClosed() {
	while (databaseCircuit().open) await new Promise((r) => setTimeout(r, 50));
}

const resolve = (() => new Response('unused')) as unknown as (event: RequestEvent, opts?: ResolveOptions) => Promise<Response>;

describe('withDatabaseOutage', () => {
	it('answers an API request that fails on the database with 503, Retry-After and a JSON body naming the request', async () => {
		await circuitClosed();
		const handle = withDatabaseOutage(async () => {
			throw refused();
		});
		const response = await handle({ event: eventFor('/api/v1/usage', { method: 'POST', headers: { 'x-request-id': 'req-1' } }), resolve });
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('5');
		expect(await response.json()).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'database_unavailable', request_id: 'req-1' });
	});

	it('while the database is known down, answers at once without running the app', async () => {
		await circuitClosed();
		let ran = 0;
		const handle = withDatabaseOutage(async () => {
			ran++;
			throw refused();
		});
		await handle({ event: eventFor('/api/trpc/x'), resolve });
		const response = await handle({ event: eventFor('/', { headers: { accept: 'text/html' } }), resolve });
		expect(ran).toBe(1);
		expect(response.status).toBe(503);
		expect(response.headers.get('content-type')).toContain('text/html');
		expect(await response.text()).toContain('服务暂时不可用');
	});

	it('turns a page that failed on the database (reported by handleError) into the 503 page, and leaves other errors alone', async () => {
		await circuitClosed();
		const handle = withDatabaseOutage(async ({ event }) => {
			if (event.url.pathname === '/down') noteDatabaseFailure(new Error('Failed query', { cause: { code: '57P01' } }), event);
			return new Response('error page', { status: 500 });
		});
		const other = await handle({ event: eventFor('/broken', { headers: { accept: 'text/html' } }), resolve });
		expect(other.status).toBe(500);
		const down = await handle({ event: eventFor('/down', { headers: { accept: 'text/html', 'accept-language': 'en' } }), resolve });
		expect(down.status).toBe(503);
		expect(await down.text()).toContain('temporarily unavailable');
	});
});
