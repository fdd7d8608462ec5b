import type { DbOrTx } from '../db/client';
import { keyOwners } from '../auth/api-keys';
import type { SettleResult, UsageEvent } from './settle';

/** The reason a caller limited to own usage gets for an event that would bill someone else. */
export const NOT_OWN_USAGE = 'not_own_usage';

/** Indexes of the events that would bill someone other than `ownerId`: by user_id, else by the owner of api_key_id. */
export async function othersUsage(db: DbOrTx, ownerId: number, events: UsageEvent[]): Promise<Set<number>> {
	const owners = await keyOwners(db, [...new Set(events.flatMap((e) => (e.userId == null && e.apiKeyId != null ? [e.apiKeyId] : [])))]);
	const refused = new Set<number>();
	events.forEach((e, index) => {
		const billed = e.userId ?? (e.apiKeyId == null ? undefined : owners.get(e.apiKeyId));
		if (billed !== ownerId) refused.add(index);
	});
	return refused;
}

/** One answer per event in the caller's order: the settled answers, and a refusal for each refused event. */
export function withRefusals(events: UsageEvent[], refused: Set<number>, settled: SettleResult[]): Array<Omit<SettleResult, 'reason'> & { reason?: string }> {
	let next = 0;
	return events.map((e, index) => (refused.has(index) ? { request_id: e.requestId, status: 'rejected' as const, reason: NOT_OWN_USAGE } : settled[next++]));
}
