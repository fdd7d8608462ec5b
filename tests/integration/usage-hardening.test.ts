import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type postgres from 'postgres';
import { TRPCError } from '@trpc/server';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { connect, type Db } from '../../src/lib/server/db/client';
import { ledgerEntries } from '../../src/lib/server/db/schema';
import { overrideConfig } from '../../src/lib/server/config';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { verifyLedger } from '../../src/lib/server/ledger/verify';
import { RequestIdConflictError, settleUsage, type SettleResult, type UsageEvent } from '../../src/lib/server/usage/settle';
import type { AuthedKey, SessionUser } from '../../src/lib/server/auth/identity';
import { appRouter } from '../../src/lib/server/trpc/root';
import { handleOpenApiRequest } from '../../src/lib/server/trpc/openapi-handler';
import { useTestDatabase } from '../helpers/db';
import { callerFor, contextFor, makeUser } from '../helpers/callers';
import { balanceOfUser, counts, makeModel } from '../helpers/usage';
import { settleInOtherProcess } from '../helpers/usage-workers';

const t = useTestDatabase();
const WELCOME = 1_000_000;
let rid = 0;
const nextId = (p = 'h') => `${p}-${process.pid}-${rid++}`;

beforeAll(() => overrideConfig({ LOG_SETTLEMENTS: false, WELCOME_CREDITS: WELCOME, CREDIT_LIMIT: 0, USAGE_SETTLE_MODE: 'batch' }));

function rest(method: string, path: string, user: SessionUser | null, apiKey: AuthedKey | null, body?: unknown) {
	const req = new Request(`http://tally.test/api/v1${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return handleOpenApiRequest(req, () => contextFor(t.db, user, { apiKey }));
}

async function gateway() {
	const owner = await makeUser(t.db, { role: 'service' });
	const key = await createApiKey(t.db, owner.id, { name: 'gw', scopes: ['usage:write'] });
	return { owner, service: { id: key.id, scopes: key.scopes } };
}

/** The answer a first, settling report gave, as a conflicting repeat must echo it. */
const asOriginal = (r: SettleResult) => ({ ...r, status: 'settled' });

describe('the same request_id with another payload', () => {
	it('is a request_id_conflict carrying the original; an identical repeat is still a duplicate; nothing is written', async () => {
		const user = await makeUser(t.db);
		const other = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		const second = await makeModel(t.db, 1_000_000, 1_000_000);
		const id = nextId('conflict');
		const event: UsageEvent = { requestId: id, userId: user.id, model: model.code, inputTokens: 10, outputTokens: 20, metadata: { a: 1, b: { c: 2, d: 3 } } };
		const [first] = await settleUsage(t.db, [event]);
		expect(first).toMatchObject({ status: 'settled', cost: 30 });
		const before = await counts(t.db);

		const same = await settleUsage(t.db, [event, { ...event, metadata: { b: { d: 3, c: 2 }, a: 1 } }]);
		for (const r of same) expect(r).toEqual({ ...first, status: 'duplicate' });

		const variants: UsageEvent[] = [
			{ ...event, userId: other.id },
			{ ...event, model: second.code },
			{ ...event, inputTokens: 11 },
			{ ...event, outputTokens: 21 },
			{ ...event, cost: 30 },
			{ ...event, occurredAt: new Date(Date.now() - 60_000) },
			{ ...event, metadata: { a: 2, b: { c: 2, d: 3 } } },
			{ ...event, metadata: null }
		];
		const results = await settleUsage(t.db, variants);
		for (const r of results) {
			expect(r).toEqual({ request_id: id, status: 'rejected', reason: 'request_id_conflict', original: asOriginal(first) });
		}
		expect(await counts(t.db)).toEqual(before);
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - 30);
		expect(await balanceOfUser(t.db, other.id)).toBe(WELCOME);
	});

	it('an event sent without occurred_at and repeated without it is a duplicate, although the stored time is the first arrival', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const event: UsageEvent = { requestId: nextId('now'), userId: user.id, model: model.code, inputTokens: 1000, outputTokens: 1000 };
		const [first] = await settleUsage(t.db, [event], { now: new Date(Date.now() - 30_000) });
		const [again] = await settleUsage(t.db, [event]);
		expect(again).toEqual({ ...first, status: 'duplicate' });
	});

	it('inside one batch: the first settles, an identical copy is a duplicate, a different one a conflict', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const e: UsageEvent = { requestId: nextId('inbatch'), userId: user.id, model: model.code, inputTokens: 1000, outputTokens: 1000 };
		const [a, b, c] = await settleUsage(t.db, [e, { ...e, outputTokens: 999 }, e]);
		expect(a.status).toBe('settled');
		expect(b).toEqual({ request_id: e.requestId, status: 'rejected', reason: 'request_id_conflict', original: asOriginal(a) });
		expect(c).toEqual({ ...a, status: 'duplicate' });
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - a.cost!);
	});

	it('sent concurrently from several connections with two payloads: one settles, its copies are duplicates, the others conflicts', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const pools = Array.from({ length: 4 }, () => connect(t.url, { max: 3 }));
		try {
			const id = nextId('race');
			const payloads: UsageEvent[] = [
				{ requestId: id, userId: user.id, model: model.code, inputTokens: 5000, outputTokens: 700 },
				{ requestId: id, userId: user.id, model: model.code, inputTokens: 5000, outputTokens: 701 }
			];
			const sent = Array.from({ length: 16 }, (_, i) => payloads[i % 2]);
			const results = (await Promise.all(sent.map((e, i) => settleUsage(pools[i % 4].db, [e])))).flat();
			const settled = results.filter((r) => r.status === 'settled');
			expect(settled).toHaveLength(1);
			const winner = sent[results.indexOf(settled[0])];
			results.forEach((r, i) => {
				if (r === settled[0]) return;
				if (sent[i] === winner) expect(r).toEqual({ ...settled[0], status: 'duplicate' });
				else expect(r).toEqual({ request_id: id, status: 'rejected', reason: 'request_id_conflict', original: asOriginal(settled[0]) });
			});
			expect(await t.db.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, `usage:${id}`))).toHaveLength(1);
			expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - settled[0].cost!);
		} finally {
			await Promise.all(pools.map((p) => p.close()));
		}
	});

	it('sent by two app processes with different token counts: each id settles once, the other process gets the conflict', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 3_000, 9_000);
		const ids = Array.from({ length: 60 }, () => nextId('proc'));
		const a = ids.map((requestId) => ({ requestId, userId: user.id, model: model.code, inputTokens: 1000, outputTokens: 100 }));
		const b = ids.map((requestId) => ({ requestId, userId: user.id, model: model.code, inputTokens: 1000, outputTokens: 200 })).reverse();
		const [ra, rb] = await Promise.all([settleInOtherProcess(t.url, a), settleInOtherProcess(t.url, b)]);
		const byId = new Map<string, SettleResult[]>();
		for (const r of [...ra, ...rb]) byId.set(r.request_id, [...(byId.get(r.request_id) ?? []), r]);
		let billed = 0;
		for (const id of ids) {
			const pair = byId.get(id)!;
			const settled = pair.filter((r) => r.status === 'settled');
			expect(settled).toHaveLength(1);
			expect(pair.find((r) => r !== settled[0])).toEqual({ request_id: id, status: 'rejected', reason: 'request_id_conflict', original: asOriginal(settled[0]) });
			billed += settled[0].cost!;
		}
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - billed);
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	});

	it('over HTTP: a single event answers 409 request_id_conflict (the original in the error cause); in a batch that event is rejected with the original', async () => {
		const { owner, service } = await gateway();
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		const body = { request_id: nextId('http'), user_id: user.id, model: model.code, input_tokens: 2, output_tokens: 3 };
		const first = await (await rest('POST', '/usage', owner, service, body)).json();
		expect(first.results[0]).toMatchObject({ status: 'settled', cost: 5 });

		const identical = await rest('POST', '/usage', owner, service, body);
		expect(identical.status).toBe(200);
		expect(await identical.json()).toMatchObject({ duplicates: 1, results: [{ ...first.results[0], status: 'duplicate' }] });

		const conflict = await rest('POST', '/usage', owner, service, { ...body, output_tokens: 4 });
		expect(conflict.status).toBe(409);
		expect(await conflict.json()).toMatchObject({ code: 'CONFLICT', message: 'request_id_conflict', original: first.results[0] });

		const caller = callerFor(t.db, owner, { apiKey: service });
		const thrown = await caller.usage.report({ ...body, output_tokens: 4 }).catch((e: unknown) => e);
		expect(thrown).toBeInstanceOf(TRPCError);
		expect((thrown as TRPCError).code).toBe('CONFLICT');
		expect((thrown as TRPCError).cause).toBeInstanceOf(RequestIdConflictError);
		expect(((thrown as TRPCError).cause as RequestIdConflictError).original).toEqual(first.results[0]);

		const batch = await rest('POST', '/usage', owner, service, { events: [{ ...body, output_tokens: 4 }, body] });
		expect(batch.status).toBe(200);
		expect(await batch.json()).toMatchObject({
			settled: 0,
			duplicates: 1,
			rejected: 1,
			results: [
				{ request_id: body.request_id, status: 'rejected', reason: 'request_id_conflict', original: first.results[0] },
				{ status: 'duplicate', cost: 5 }
			]
		});
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - 5);
	});
});

describe('a batch with invalid events', () => {
	it('rejects each invalid event with its field and settles the good ones; strict types', async () => {
		const { owner, service } = await gateway();
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000_000, 1_000_000);
		const good = () => ({ request_id: nextId('good'), user_id: user.id, model: model.code, input_tokens: 2, output_tokens: 3 });
		const bad: Array<[Record<string, unknown>, string]> = [
			[{ ...good(), input_tokens: '5' }, 'input_tokens'],
			[{ ...good(), input_tokens: null }, 'input_tokens'],
			[{ ...good(), input_tokens: '1e3' }, 'input_tokens'],
			[{ ...good(), input_tokens: '' }, 'input_tokens'],
			[{ ...good(), input_tokens: [] }, 'input_tokens'],
			[{ ...good(), output_tokens: -1 }, 'output_tokens'],
			[{ ...good(), output_tokens: 1.5 }, 'output_tokens'],
			[{ ...good(), cost: '30' }, 'cost'],
			[{ ...good(), user_id: String(user.id) }, 'user_id'],
			[{ ...good(), occurred_at: null }, 'occurred_at'],
			[{ ...good(), occurred_at: 0 }, 'occurred_at'],
			[{ ...good(), occurred_at: 'yesterday' }, 'occurred_at'],
			[{ ...good(), metadata: [] }, 'metadata'],
			[{ ...good(), model: 7 }, 'model']
		];
		const { request_id: _, ...withoutId } = good();
		const first = good();
		const last = good();
		const before = await counts(t.db);
		const res = await rest('POST', '/usage', owner, service, { events: [first, ...bad.map(([e]) => e), withoutId, 42, last] });
		expect(res.status).toBe(200);
		const answer = await res.json();
		expect(answer).toMatchObject({ settled: 2, rejected: bad.length + 2, duplicates: 0 });
		expect(answer.results[0]).toMatchObject({ request_id: first.request_id, status: 'settled', cost: 5 });
		bad.forEach(([event, field], i) => {
			expect(answer.results[i + 1], JSON.stringify(event)).toEqual({
				request_id: event.request_id,
				status: 'rejected',
				reason: 'invalid_event',
				field,
				message: expect.any(String)
			});
		});
		expect(answer.results[bad.length + 1]).toMatchObject({ request_id: null, status: 'rejected', reason: 'invalid_event', field: 'request_id' });
		expect(answer.results[bad.length + 2]).toMatchObject({ request_id: null, status: 'rejected', reason: 'invalid_event' });
		expect(answer.results[bad.length + 3]).toMatchObject({ request_id: last.request_id, status: 'settled' });
		const after = await counts(t.db);
		expect(after.records).toBe(before.records + 2);
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - 10);
	});

	it('still refuses a bad envelope or a bad single event with 400, writing nothing', async () => {
		const { owner, service } = await gateway();
		const user = await makeUser(t.db);
		const model = await makeModel(t.db);
		const event = { request_id: nextId(), user_id: user.id, model: model.code, input_tokens: 2, output_tokens: 3 };
		const before = await counts(t.db);
		for (const body of [
			{ events: event },
			{ events: 'x' },
			{ events: null },
			{ events: [] },
			{ events: Array.from({ length: 1001 }, () => event) },
			{},
			{ ...event, input_tokens: '2' },
			{ ...event, occurred_at: null }
		]) {
			const res = await rest('POST', '/usage', owner, service, body);
			expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
		}
		expect(await counts(t.db)).toEqual(before);
	});

	it('the OpenAPI document shows the per-event rejection: reason, field, message and the original', () => {
		const doc = generateOpenApiDocument(appRouter, { title: 't', version: '1', baseUrl: '/api/v1' });
		const text = JSON.stringify(doc.paths?.['/usage']);
		for (const word of ['request_id_conflict', 'invalid_event', '"original"', '"field"', '"message"']) expect(text).toContain(word);
	});
});

/**
 * The same database handle, counting the transactions opened through it (its own settlement queue):
 * explicit ones and statements sent on the handle itself (settlement is one statement, its own
 * transaction, sent prepared through the session's client: db/prepared.ts).
 */
function counting(db: Db, onTransaction: (n: number) => void = () => {}) {
	const seen = { transactions: 0 };
	const proxy = new Proxy(db, {
		get(target, prop, receiver) {
			if (prop === '_') {
				const internals = Reflect.get(target, prop, receiver) as Db['_'];
				const session = internals.session as unknown as { client: postgres.Sql };
				const client = new Proxy(session.client, {
					get(c, p, r) {
						if (p !== 'unsafe') return Reflect.get(c, p, r);
						return (...args: Parameters<postgres.Sql['unsafe']>) => {
							onTransaction(++seen.transactions);
							return c.unsafe(...args);
						};
					}
				});
				return { ...internals, session: Object.assign(Object.create(session), { client }) };
			}
			if (prop === 'transaction') {
				return (...args: Parameters<Db['transaction']>) => {
					onTransaction(++seen.transactions);
					return target.transaction(...args);
				};
			}
			if (prop === 'execute') {
				return (...args: Parameters<Db['execute']>) => {
					onTransaction(++seen.transactions);
					return target.execute(...args);
				};
			}
			return Reflect.get(target, prop, receiver);
		}
	});
	return { db: proxy, seen };
}

describe('a poisoned batch', () => {
	const batchOf = (userId: number, model: string, n: number, p: string): UsageEvent[] =>
		Array.from({ length: n }, (_, i) => ({ requestId: nextId(p), userId, model, inputTokens: 100 + i, outputTokens: 50 }));
	// PostgreSQL refuses a NUL character in jsonb, so this event passes the service's checks but fails in the database.
	const poison = (e: UsageEvent): UsageEvent => ({ ...e, metadata: { note: 'bad\u0000byte' } });

	it('settles the other 999 events in a few transactions (bisection), not one per event', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000, 1_000);
		const clean = counting(t.db);
		const cleanResults = await settleUsage(clean.db, batchOf(user.id, model.code, 1000, 'clean'));
		expect(cleanResults.every((r) => r.status === 'settled')).toBe(true);
		expect(clean.seen.transactions).toBe(1);

		const poisoned = counting(t.db);
		const events = batchOf(user.id, model.code, 1000, 'mixed');
		events[617] = poison(events[617]);
		const results = await settleUsage(poisoned.db, events);
		expect(results[617]).toEqual({ request_id: events[617].requestId, status: 'rejected', reason: 'settlement_failed' });
		expect(results.filter((r) => r.status === 'settled')).toHaveLength(999);
		// a clean batch takes one transaction; one bad event among 1,000 may cost about 2·log2(1000) more
		expect(poisoned.seen.transactions).toBeLessThan(clean.seen.transactions + 2 * Math.ceil(Math.log2(1000)) + 2);
		const billed = [...cleanResults, ...results].reduce((s, r) => s + (r.cost ?? 0), 0);
		expect(await balanceOfUser(t.db, user.id)).toBe(WELCOME - billed);
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	}, 120_000);

	it('never holds every settlement slot: a clean report sent while two poisoned batches are being split settles before either', async () => {
		const user = await makeUser(t.db);
		const model = await makeModel(t.db, 1_000, 1_000);
		let cleanDone: Promise<SettleResult[]> | null = null;
		const finished: string[] = [];
		const probe = counting(t.db, (n) => {
			// the two poisoned batches took the first two transactions; from the third on, they are being split
			if (n === 3) cleanDone = settleUsage(probe.db, batchOf(user.id, model.code, 1, 'probe')).then((r) => (finished.push('clean'), r));
		});
		const a = batchOf(user.id, model.code, 1000, 'pa');
		const b = batchOf(user.id, model.code, 1000, 'pb');
		a[10] = poison(a[10]);
		b[990] = poison(b[990]);
		const [ra, rb] = await Promise.all([
			settleUsage(probe.db, a).then((r) => (finished.push('a'), r)),
			settleUsage(probe.db, b).then((r) => (finished.push('b'), r))
		]);
		const [probeResult] = await cleanDone!;
		expect(probeResult.status).toBe('settled');
		expect(finished[0]).toBe('clean');
		expect([...ra, ...rb].filter((r) => r.status === 'settled')).toHaveLength(1998);
		expect((await verifyLedger(t.db)).drifts).toEqual([]);
	}, 120_000);
});
