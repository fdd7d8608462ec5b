/**
 * What the app's procedure builders (trpc/init.ts) cost a call, against the same procedure on a bare
 * tRPC instance, in the same run: `npm run bench:trpc`. Each procedure has the same zod input and
 * output (the shape of one usage event) and a resolver that only echoes; each is called through
 * `createCaller`, as the REST adapter and the UI's loads call procedures. What remains is the
 * builders' middleware: input guard, access rule, domain-error mapping. BENCH_CALLS (100000) per
 * round, three rounds, best round of each. The last line holds every figure and the machine.
 */
import os from 'node:os';
import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import type { Context } from '../src/lib/server/trpc/context';
import { createCallerFactory, publicProcedure, router, scopedProcedure, authedProcedure } from '../src/lib/server/trpc/init';

const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);

const eventInput = z.object({ request_id: z.string().min(1).max(200), user_id: z.number().int().positive(), model: z.string().min(1), input_tokens: z.number().int().min(0) });
const eventOutput = z.object({ request_id: z.string(), status: z.enum(['settled', 'duplicate', 'rejected']) });
const echo = async ({ input }: { input: z.output<typeof eventInput> }) => ({ request_id: input.request_id, status: 'settled' as const });

const bare = initTRPC.context<Context>().create();
const bareRouter = bare.router({ echo: bare.procedure.input(eventInput).output(eventOutput).mutation(echo) });
const appRouter = router({
	public: publicProcedure.input(eventInput).output(eventOutput).mutation(echo),
	session: authedProcedure.input(eventInput).output(eventOutput).mutation(echo),
	scoped: scopedProcedure('usage:write').input(eventInput).output(eventOutput).mutation(echo)
});

const user = { id: 1, email: 'gw@tally.local', name: 'GW', role: 'service', locale: 'en' } as Context['user'];
const base = { db: null as never, user, sessionId: null, apiKey: null, ip: '127.0.0.1', cookies: null, secureCookies: false, requestId: 'bench' } satisfies Context;
const keyCtx: Context = { ...base, apiKey: { id: 1, scopes: ['usage:write'] } as Context['apiKey'] };
const sessionCtx: Context = { ...base, sessionId: 'session' };

type Call = (i: number) => Promise<unknown>;
const event = (i: number) => ({ request_id: `r-${i}`, user_id: 1, model: 'bench-model', input_tokens: i % 4000 });
const bareCaller = bare.createCallerFactory(bareRouter);
const appCaller = createCallerFactory(appRouter);
const cases: Record<string, Call> = {
	bare: (i) => bareCaller(keyCtx).echo(event(i)),
	public: (i) => appCaller(keyCtx).public(event(i)),
	session: (i) => appCaller(sessionCtx).session(event(i)),
	scoped: (i) => appCaller(keyCtx).scoped(event(i))
};

async function microsPerCall(call: Call): Promise<number> {
	const started = performance.now();
	for (let i = 0; i < CALLS; i++) await call(i);
	return ((performance.now() - started) * 1000) / CALLS;
}

const best: Record<string, number> = {};
for (const call of Object.values(cases)) await microsPerCall(call);
for (let round = 0; round < 3; round++) {
	for (const [name, call] of Object.entries(cases)) best[name] = Math.min(best[name] ?? Infinity, await microsPerCall(call));
}
const us = (n: number) => n.toFixed(1);
const machine = `${os.cpus().length}x ${os.cpus()[0]?.model ?? 'cpu'} load ${os.loadavg()[0].toFixed(1)}`;
console.log(
	`bench:trpc bare_us=${us(best.bare)} public_us=${us(best.public)} session_us=${us(best.session)} scoped_us=${us(best.scoped)} ` +
		`scoped_ratio=${(best.scoped / best.bare).toFixed(2)} builder_us=${us(best.scoped - best.bare)} calls=${CALLS} machine="${machine}"`
);
