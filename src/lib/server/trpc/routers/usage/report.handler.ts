import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { BatchEvent, UsageEventInput } from '$lib/schemas/metering';
import type { Db } from '../../../db/client';
import type { HandlerOptions } from '../../context';
import { ownUsageOnly } from '../../../auth/api-keys';
import { NOT_OWN_USAGE, othersUsage, withRefusals } from '../../../usage/own-usage';
import { RequestIdConflictError, settleUsage, settleUsageEvent, type SettleResult, type UsageEvent } from '../../../usage/settle';
import type { ReportResult, reportInput } from './report.schema';

function toEvent(e: UsageEventInput): UsageEvent {
	return {
		requestId: e.request_id,
		userId: e.user_id,
		apiKeyId: e.api_key_id,
		model: e.model,
		inputTokens: e.input_tokens,
		outputTokens: e.output_tokens,
		images: e.images,
		cost: e.cost,
		occurredAt: e.occurred_at === undefined ? undefined : new Date(e.occurred_at),
		metadata: e.metadata ?? null
	};
}

/** `ownerOnly`: the caller may bill only this user (a key limited to its owner's usage), else null. */
async function reportOne(db: Db, event: UsageEvent, ownerOnly: number | null): Promise<SettleResult> {
	if (ownerOnly !== null && (await othersUsage(db, ownerOnly, [event])).size > 0) throw new TRPCError({ code: 'FORBIDDEN', message: NOT_OWN_USAGE });
	try {
		const result = await settleUsageEvent(db, event);
		if (result.status === 'rejected') throw new TRPCError({ code: 'BAD_REQUEST', message: result.reason! });
		return result;
	} catch (err) {
		if (err instanceof RequestIdConflictError) throw new TRPCError({ code: 'CONFLICT', message: err.code, cause: err });
		throw err;
	}
}

/** Settles the events that passed the schema (and bill `ownerOnly`, when set); the others answer invalid_event or not_own_usage in their place. */
async function reportBatch(db: Db, events: BatchEvent[], ownerOnly: number | null): Promise<ReportResult[]> {
	const valid = events.flatMap((e) => (e.ok ? [toEvent(e.event)] : []));
	const refused = ownerOnly === null ? new Set<number>() : await othersUsage(db, ownerOnly, valid);
	const settled = withRefusals(valid, refused, await settleUsage(db, valid.filter((_, i) => !refused.has(i))));
	let next = 0;
	return events.map((e) =>
		e.ok ? (settled[next++] as ReportResult) : { request_id: e.request_id, status: 'rejected', reason: 'invalid_event', field: e.field, message: e.message }
	);
}

export async function reportHandler({ ctx, input }: HandlerOptions<z.output<typeof reportInput>>) {
	const ownerOnly = ownUsageOnly(ctx.user, ctx.apiKey) ? ctx.user.id : null;
	const results = input.events === undefined ? [await reportOne(ctx.db, toEvent(input.event), ownerOnly)] : await reportBatch(ctx.db, input.events, ownerOnly);
	const count = (s: string) => results.filter((r) => r.status === s).length;
	return { results, settled: count('settled'), duplicates: count('duplicate'), rejected: count('rejected') };
}
