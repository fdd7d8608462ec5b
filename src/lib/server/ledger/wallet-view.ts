import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import type { GrantSource, GrantUnit } from '../db/schema';
import { burnDownOrder, usableAt, type GrantState } from './burn-down';
import { balanceAndHeld } from './holds';

export interface GrantView {
	grant_id: number;
	source: GrantSource;
	unit: GrantUnit;
	original: number;
	remaining: number;
	priority: number;
	effective_from: Date;
	expires_at: Date | null;
	/** Spendable now (effective, not expired, something left). */
	usable: boolean;
}

export interface WalletView {
	wallet_id: number;
	/** All credits in the wallet: regular + every credit grant's remaining. */
	balance: number;
	/** The part outside grants; alone may be negative (arrears). */
	regular: number;
	grants: GrantView[];
	held: number;
	/** Spendable now less held: what a new request can count on. */
	available: number;
	/** Where the next charge is taken from, first to last: usable grants in burn-down order, then 'regular'. */
	order: Array<number | 'regular'>;
}

type Row = {
	id: string;
	source: GrantSource;
	unit: GrantUnit;
	original: string;
	remaining: string;
	priority: number;
	effective_from: Date | string;
	expires_at: Date | string | null;
};

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** A wallet as its owner sees it: regular balance, grants with what remains and when they expire, holds, available, order of use. */
export async function walletView(db: DbOrTx, walletId: number, now = new Date()): Promise<WalletView> {
	const [wallet] = await db.execute<{ balance: string }>(sql`select balance from wallets where id = ${walletId}`);
	const rows = await db.execute<Row>(sql`
		select id, source, unit, original, remaining, priority, effective_from, expires_at from credit_grants
		where wallet_id = ${walletId} and remaining > 0 order by id`);
	const states: Array<GrantState & { row: Row }> = rows.map((r) => ({
		id: Number(r.id),
		walletId,
		unit: r.unit,
		remaining: Number(r.remaining),
		priority: r.priority,
		effectiveFrom: toDate(r.effective_from),
		expiresAt: r.expires_at === null ? null : toDate(r.expires_at),
		row: r
	}));
	states.sort(burnDownOrder);
	const balance = Number(wallet?.balance ?? 0);
	const inGrants = states.filter((g) => g.unit === 'credits').reduce((s, g) => s + g.remaining, 0);
	const unusable = states.filter((g) => g.unit === 'credits' && !usableAt(g, now)).reduce((s, g) => s + g.remaining, 0);
	const held = (await balanceAndHeld(db, [walletId], now)).get(walletId)?.held ?? 0;
	return {
		wallet_id: walletId,
		balance,
		regular: balance - inGrants,
		grants: states.map((g) => ({
			grant_id: g.id,
			source: g.row.source,
			unit: g.unit,
			original: Number(g.row.original),
			remaining: g.remaining,
			priority: g.priority,
			effective_from: g.effectiveFrom,
			expires_at: g.expiresAt,
			usable: usableAt(g, now)
		})),
		held,
		available: balance - unusable - held,
		order: [...states.filter((g) => usableAt(g, now)).map((g) => g.id), 'regular']
	};
}
