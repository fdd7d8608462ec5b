import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { createEnterprise } from '../../src/lib/server/enterprises/enterprises';
import { addMember } from '../../src/lib/server/enterprises/membership';
import { setMemberLimit } from '../../src/lib/server/enterprises/limits';
import { postEntry } from '../../src/lib/server/ledger/post';
import { enterpriseWalletId, userWalletId } from '../../src/lib/server/ledger/wallets';
import { makeUser } from './callers';

/** One member's membership in a random chain: which enterprise, its priority, monthly limit and suspension. */
export const membershipArb = fc.record({
	enterprise: fc.nat(2),
	priority: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
	limit: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
	suspended: fc.boolean()
});

/** Each user's memberships (at most one per enterprise of three). */
export const membershipsArb = (users: number) =>
	fc.array(fc.uniqueArray(membershipArb, { maxLength: 3, selector: (m) => m.enterprise }), { minLength: users, maxLength: users });

export interface ChainSpec {
	enterpriseBalances: number[];
	ownBalances: number[];
	memberships: Array<Array<{ enterprise: number; priority: number | null; limit: number | null; suspended: boolean }>>;
}

/**
 * The enterprises and users of a random payer chain, funded and joined as the spec says; `wallets`
 * lists the enterprises' wallets, then the users' own.
 */
export async function makeChain(db: Db, adminId: number, tag: string, spec: ChainSpec) {
	const enterprises = await Promise.all(spec.enterpriseBalances.map((_, i) => createEnterprise(db, { name: `chain-${tag}-${i}`, description: '' })));
	const enterpriseWallets = await Promise.all(enterprises.map((g) => enterpriseWalletId(db, g.id)));
	const users = await Promise.all(spec.ownBalances.map(() => makeUser(db)));
	const ownWallets = await Promise.all(users.map((u) => userWalletId(db, u.id)));
	const wallets = [...enterpriseWallets, ...ownWallets];
	await Promise.all(
		[...spec.enterpriseBalances, ...spec.ownBalances].map(
			(amount, i) => amount !== 0 && postEntry(db, { walletId: wallets[i], amount, kind: 'adjustment', idempotencyKey: `chain-${tag}-fund-${i}`, memo: null })
		)
	);
	for (const [u, list] of spec.memberships.entries()) {
		for (const m of list) {
			const { membership } = await addMember(db, enterprises[m.enterprise].id, users[u].id, adminId);
			if (m.limit !== null) await setMemberLimit(db, enterprises[m.enterprise].id, users[u].id, m.limit);
			await db.execute(sql`update memberships set priority = ${m.priority}, suspended = ${m.suspended} where id = ${membership.id}`);
		}
	}
	return { enterprises, enterpriseWallets, users, ownWallets, wallets };
}
