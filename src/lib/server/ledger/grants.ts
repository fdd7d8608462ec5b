import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { executePrepared } from '../db/prepared';
import type { GrantSource, GrantUnit } from '../db/schema';
import type { GrantState } from './burn-down';
import { postEntry, type EntryInput, type PostedEntry } from './post';
import { idArray } from '../db/value-list';

type GrantRow = {
	id: string;
	wallet_id: number;
	unit: GrantUnit;
	remaining: string;
	priority: number;
	effective_from: Date | string;
	expires_at: Date | string | null;
};

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function toState(r: GrantRow): GrantState {
	return {
		id: Number(r.id),
		walletId: r.wallet_id,
		unit: r.unit,
		remaining: Number(r.remaining),
		priority: r.priority,
		effectiveFrom: toDate(r.effective_from),
		expiresAt: r.expires_at === null ? null : toDate(r.expires_at)
	};
}

/**
 * The grants with something left on these wallets, by wallet: the credit grants, or the token and
 * image allowances. With `lock`, locks them (id order) — call it after the wallets are locked, the
 * order every writer uses.
 */
export async function remainingGrantsOf(
	tx: DbOrTx,
	walletIds: number[],
	units: 'credits' | 'allowances',
	opts: { lock?: boolean } = {}
): Promise<Map<number, GrantState[]>> {
	const result = new Map<number, GrantState[]>();
	if (walletIds.length === 0) return result;
	const rows = await executePrepared<GrantRow>(
		tx,
		sql`
		select id, wallet_id, unit, remaining, priority, effective_from, expires_at from credit_grants
		where wallet_id = any(${idArray(walletIds)})
			and ${units === 'credits' ? sql`unit = 'credits'` : sql`unit <> 'credits'`} and remaining > 0
		order by id ${opts.lock ? sql`for update` : sql``}`
	);
	for (const r of rows) {
		const list = result.get(r.wallet_id) ?? [];
		list.push(toState(r));
		result.set(r.wallet_id, list);
	}
	return result;
}

/** The credit grants with something left on these wallets, by wallet (`lock`: see remainingGrantsOf). */
export function grantsOf(tx: DbOrTx, walletIds: number[], opts: { lock?: boolean } = {}): Promise<Map<number, GrantState[]>> {
	return remainingGrantsOf(tx, walletIds, 'credits', opts);
}

export interface NewGrant {
	walletId: number;
	source: GrantSource;
	/** Default credits (money, with a ledger entry); tokens and images are allowances (ledger/allowances.ts). */
	unit?: GrantUnit;
	amount: number;
	priority?: number;
	effectiveFrom?: Date;
	expiresAt?: Date | null;
	memo?: string | null;
	idempotencyKey: string;
	actorUserId?: number | null;
}

export class InvalidGrantError extends Error {}

/** `issueGrant` as the whole operation, in a transaction of its own (the admin credit grant). */
export async function issueStandaloneGrant(db: Db, grant: NewGrant): Promise<PostedEntry & { grantId: number }> {
	return db.transaction((tx) => issueGrant(tx, grant));
}

/**
 * Gives a wallet a grant of credits: the grant row and the entry that names it, in the caller's
 * transaction. A retry with the same idempotency key returns the original entry and adds nothing.
 */
export async function issueGrant(tx: DbOrTx, grant: NewGrant): Promise<PostedEntry & { grantId: number }> {
	if (!Number.isSafeInteger(grant.amount) || grant.amount <= 0) throw new InvalidGrantError('a grant is a positive whole number of credits');
	const key = `grant:${grant.idempotencyKey}`;
	if ((grant.unit ?? 'credits') !== 'credits') return issueAllowanceGrant(tx, grant, key);
	const [earlier] = await tx.execute<{ grant_id: string }>(sql`select grant_id from ledger_entries where idempotency_key = ${key}`);
	if (earlier) {
		const posted = await postEntry(tx, { walletId: grant.walletId, amount: grant.amount, kind: 'grant', idempotencyKey: key, grantId: Number(earlier.grant_id) });
		return { ...posted, grantId: Number(earlier.grant_id) };
	}
	const effectiveFrom = grant.effectiveFrom ?? new Date();
	if (grant.expiresAt && grant.expiresAt.getTime() <= effectiveFrom.getTime()) throw new InvalidGrantError('a grant must expire after it takes effect');
	const [row] = await tx.execute<{ id: string }>(sql`
		insert into credit_grants (wallet_id, source, unit, original, remaining, priority, effective_from, expires_at, memo, idempotency_key)
		values (${grant.walletId}, ${grant.source}, 'credits', ${grant.amount}, 0, ${grant.priority ?? 10}, ${effectiveFrom.toISOString()},
			${grant.expiresAt ? grant.expiresAt.toISOString() : null}, ${grant.memo ?? null}, ${key})
		returning id`);
	const grantId = Number(row.id);
	const entry: EntryInput = {
		walletId: grant.walletId,
		amount: grant.amount,
		kind: 'grant',
		idempotencyKey: key,
		reference: `grant:${grantId}`,
		memo: grant.memo ?? null,
		actorUserId: grant.actorUserId ?? null,
		grantId
	};
	return { ...(await postEntry(tx, entry)), grantId };
}

/**
 * A token or image allowance moves no money, so it has no ledger entry: the grant row starts with
 * remaining = original and allowance uses lower it. The grant's idempotency key makes a retry
 * return the first grant (entryId 0, duplicate true).
 */
async function issueAllowanceGrant(tx: DbOrTx, grant: NewGrant, key: string): Promise<PostedEntry & { grantId: number }> {
	const effectiveFrom = grant.effectiveFrom ?? new Date();
	if (grant.expiresAt && grant.expiresAt.getTime() <= effectiveFrom.getTime()) throw new InvalidGrantError('a grant must expire after it takes effect');
	const inserted = await tx.execute<{ id: string }>(sql`
		insert into credit_grants (wallet_id, source, unit, original, remaining, priority, effective_from, expires_at, memo, idempotency_key)
		values (${grant.walletId}, ${grant.source}, ${grant.unit!}, ${grant.amount}, ${grant.amount}, ${grant.priority ?? 10}, ${effectiveFrom.toISOString()},
			${grant.expiresAt ? grant.expiresAt.toISOString() : null}, ${grant.memo ?? null}, ${key})
		on conflict (idempotency_key) do nothing
		returning id`);
	const duplicate = inserted.length === 0;
	const [row] = duplicate ? await tx.execute<{ id: string }>(sql`select id from credit_grants where idempotency_key = ${key}`) : inserted;
	return { entryId: 0, walletId: grant.walletId, amount: grant.amount, balanceAfter: 0, idempotencyKey: key, duplicate, grantId: Number(row.id) };
}
