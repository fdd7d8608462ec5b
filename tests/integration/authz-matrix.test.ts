import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/lib/server/trpc/root';
import type { SessionUser } from '../../src/lib/server/auth/identity';
import { ownerMayHold } from '../../src/lib/server/auth/api-keys';
import { keyScopes, type KeyScope } from '../../src/lib/schemas/keys';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeUser } from '../helpers/callers';
import { setPriceListPublic } from '../../src/lib/server/usage/price-list';

/**
 * Who may pass the gate of every procedure. A procedure missing from this table fails the test,
 * so each new procedure must say who may call it. Resource-level checks (your own key, an enterprise you
 * administer, own usage) are tested in each area's own tests (key-scopes.test.ts for keys).
 *   session — public: anyone; user: any signed-in account; admin: platform admins only.
 *   key     — none: no API key reaches it; any: every valid key, whatever its scopes (identity);
 *             a scope: a key holding that scope, owned by an account that may hold it (ownerMayHold).
 */
type Session = 'public' | 'user' | 'admin';
type KeyAccess = 'none' | 'any' | KeyScope;

export const access: Record<string, [Session, KeyAccess]> = {
	'admin.users': ['admin', 'admin'],
	'admin.registrationSettings': ['admin', 'admin'],
	'admin.updateRegistrationSettings': ['admin', 'admin'],
	'admin.setRole': ['admin', 'admin'],
	// Alert settings and dismissing are made from a signed-in session; the notices read with usage:read.
	'alerts.settings': ['user', 'none'],
	'alerts.updateSettings': ['user', 'none'],
	'alerts.regenerateSecret': ['user', 'none'],
	'alerts.notices': ['user', 'usage:read'],
	'alerts.dismiss': ['user', 'none'],
	'alerts.deliveries': ['user', 'none'],
	// Whether the caller administers that enterprise is checked inside (alerts.test.ts).
	'alerts.enterpriseThreshold': ['user', 'enterprises:manage'],
	'alerts.setEnterpriseThreshold': ['user', 'enterprises:manage'],
	'admin.user': ['admin', 'admin'],
	'admin.setDisabled': ['admin', 'admin'],
	'auth.register': ['public', 'none'],
	'auth.login': ['public', 'none'],
	'auth.logout': ['user', 'none'],
	'auth.changePassword': ['user', 'none'],
	'auth.me': ['user', 'any'],
	'auth.setLocale': ['user', 'none'],
	'capacity.mine': ['user', 'usage:read'],
	'capacity.featured': ['admin', 'admin'],
	'capacity.setFeatured': ['admin', 'admin'],
	'codes.redeem': ['user', 'none'],
	'codes.mine': ['user', 'usage:read'],
	'codes.createBatch': ['admin', 'admin'],
	'codes.batches': ['admin', 'admin'],
	'codes.batch': ['admin', 'admin'],
	'codes.setBatchDisabled': ['admin', 'admin'],
	'codes.setCodeDisabled': ['admin', 'admin'],
	'dashboard.overview': ['user', 'usage:read'],
	'dashboard.records': ['user', 'usage:read'],
	'dashboard.usedModels': ['user', 'usage:read'],
	'dashboard.exportCsv': ['user', 'usage:read'],
	'dashboard.walletHistory': ['user', 'usage:read'],
	'dashboard.platform': ['admin', 'admin'],
	'dashboard.findUsers': ['admin', 'admin'],
	'external.sync': ['admin', 'users:sync'],
	'external.topup': ['admin', 'users:sync'],
	'external.token': ['admin', 'users:sync'],
	'external.get': ['admin', 'users:sync'],
	'external.stats': ['admin', 'users:sync'],
	'external.logs': ['admin', 'users:sync'],
	'external.capacity': ['admin', 'users:sync'],
	'enterprises.create': ['admin', 'enterprises:manage'],
	'enterprises.setAdmins': ['admin', 'enterprises:manage'],
	// Enterprise procedures pass the gate for any signed-in account; whether the caller administers or
	// belongs to that enterprise is checked inside and tested in enterprises-api.test.ts.
	'enterprises.list': ['user', 'enterprises:manage'],
	'enterprises.get': ['user', 'enterprises:manage'],
	'enterprises.addUser': ['admin', 'enterprises:manage'],
	'enterprises.removeUser': ['user', 'enterprises:manage'],
	'enterprises.userEnterprises': ['user', 'usage:read'],
	'enterprises.adminCredit': ['user', 'usage:read'],
	'enterprises.mine': ['user', 'usage:read'],
	'enterprises.setSuspended': ['user', 'none'],
	'enterprises.reorder': ['user', 'none'],
	'enterprises.members': ['user', 'enterprises:manage'],
	'enterprises.invite': ['user', 'none'],
	'enterprises.invitations': ['user', 'none'],
	'enterprises.revokeInvitation': ['user', 'none'],
	'enterprises.myInvitations': ['user', 'none'],
	'enterprises.acceptInvitation': ['user', 'none'],
	'enterprises.declineInvitation': ['user', 'none'],
	'enterprises.removeMembers': ['user', 'enterprises:manage'],
	'enterprises.setLimit': ['user', 'enterprises:manage'],
	'enterprises.report': ['user', 'enterprises:manage'],
	'enterprises.walletHistory': ['user', 'enterprises:manage'],
	// Keys are made, listed and revoked from a signed-in session (or the CLI), never by a key.
	'keys.create': ['user', 'none'],
	'keys.list': ['user', 'none'],
	'keys.revoke': ['user', 'none'],
	'plans.list': ['user', 'usage:read'],
	'plans.subscribe': ['user', 'none'],
	'plans.mine': ['user', 'usage:read'],
	'plans.cancel': ['user', 'none'],
	'plans.packages': ['user', 'usage:read'],
	'plans.buyPackage': ['user', 'none'],
	'plans.createPlan': ['admin', 'admin'],
	'plans.updatePlan': ['admin', 'admin'],
	'plans.createPackage': ['admin', 'admin'],
	'plans.grant': ['admin', 'admin'],
	'plans.grants': ['admin', 'admin'],
	'plans.adminPlans': ['admin', 'admin'],
	'plans.adminPackages': ['admin', 'admin'],
	'plans.subscribers': ['admin', 'admin'],
	'plans.sales': ['admin', 'admin'],
	// Public when the admin lets visitors see prices (set in beforeAll); prices.test.ts covers the refusal.
	'prices.list': ['public', 'any'],
	'prices.visibility': ['admin', 'admin'],
	'prices.setVisibility': ['admin', 'admin'],
	'rebates.mine': ['user', 'usage:read'],
	'rebates.settings': ['admin', 'admin'],
	'rebates.updateSettings': ['admin', 'admin'],
	'rebates.topInviters': ['admin', 'admin'],
	'rebates.setDisabled': ['admin', 'admin'],
	'recharge.tiersEligibility': ['user', 'usage:read'],
	'recharge.eligibility': ['user', 'usage:read'],
	'recharge.page': ['user', 'none'],
	'recharge.createOrder': ['user', 'none'],
	'recharge.cancelOrder': ['user', 'none'],
	'recharge.order': ['user', 'usage:read'],
	'recharge.orders': ['user', 'usage:read'],
	'recharge.admin.settings': ['admin', 'admin'],
	'recharge.admin.updateSettings': ['admin', 'admin'],
	'recharge.admin.refund': ['admin', 'admin'],
	'recharge.admin.lateOrders': ['admin', 'admin'],
	'recharge.admin.paymentEvents': ['admin', 'admin'],
	'usage.report': ['admin', 'usage:write'],
	'usage.authorize': ['admin', 'usage:write'],
	'usage.releaseHold': ['admin', 'usage:write'],
	'usage.wallet': ['user', 'usage:read'],
	'usage.grant': ['admin', 'admin'],
	'usage.balance': ['user', 'usage:read'],
	'usage.summary': ['user', 'usage:read'],
	'usage.models': ['user', 'usage:read'],
	'admin.adjustCredits': ['admin', 'admin'],
	'admin.setModelPrice': ['admin', 'admin'],
	'admin.models': ['admin', 'admin'],
	'admin.priceHistory': ['admin', 'admin'],
	'admin.setModelActive': ['admin', 'admin']
};

type Owner = 'user' | 'admin' | 'service';

/**
 * Whether a key of `owner` holding only `held` passes a gate that names `needed`. usage:write
 * procedures also take usage:write:own keys, and a usage:write key of an account that may not hold
 * it counts as usage:write:own; inside, both report and authorize only the owner's own usage.
 */
function keyPasses(owner: Owner, held: KeyScope | null, needed: KeyAccess): boolean {
	if (needed === 'any') return true;
	if (needed === 'none' || held === null) return false;
	if (held === needed && ownerMayHold(owner, held)) return true;
	return needed === 'usage:write' && (held === 'usage:write:own' || held === 'usage:write');
}

const t = useTestDatabase();
let user: SessionUser;
let admin: SessionUser;
let owners: Record<Owner, SessionUser>;

beforeAll(async () => {
	user = await makeUser(t.db);
	admin = await makeUser(t.db, { role: 'admin' });
	owners = { user, admin, service: await makeUser(t.db, { role: 'service' }) };
	await setPriceListPublic(t.db, true, admin.id);
});

function procedures(): string[] {
	return Object.keys(appRouter._def.procedures as Record<string, unknown>).sort();
}

type RawProcedure = ((opts: object) => Promise<unknown>) & { _def: { type: string } };

async function gateCode(path: string, ctx: ReturnType<typeof contextFor>): Promise<string> {
	const procedure = (appRouter._def.procedures as unknown as Record<string, RawProcedure>)[path];
	const type = procedure._def.type;
	try {
		await procedure({
			ctx,
			getRawInput: async () => undefined,
			path,
			type,
			signal: undefined
		});
		return 'OK';
	} catch (err) {
		const code = err instanceof TRPCError ? err.code : 'THROWN';
		// Past the gate, a missing input is the procedure's own business.
		return code === 'UNAUTHORIZED' || code === 'FORBIDDEN' ? code : 'PASSED';
	}
}

describe('authorization matrix', () => {
	it('lists every procedure', () => {
		expect(procedures().filter((p) => !(p in access))).toEqual([]);
		expect(Object.keys(access).filter((p) => !procedures().includes(p))).toEqual([]);
	});

	for (const [path, [session, key]] of Object.entries(access)) {
		it(`${path}: session ${session}, key ${key}`, async () => {
			const pass = (code: string) => (code === 'OK' || code === 'PASSED' ? 'pass' : code);
			const expected: Record<string, string> = {
				anonymous: session === 'public' ? 'pass' : 'UNAUTHORIZED',
				'session user': session === 'admin' ? 'FORBIDDEN' : 'pass',
				'session admin': 'pass'
			};
			const actual: Record<string, string> = {
				anonymous: pass(await gateCode(path, contextFor(t.db, null))),
				'session user': pass(await gateCode(path, contextFor(t.db, user))),
				'session admin': pass(await gateCode(path, contextFor(t.db, admin)))
			};
			for (const owner of ['user', 'admin', 'service'] as const) {
				for (const held of [null, ...keyScopes]) {
					const cell = `${owner}'s key with ${held ?? 'no scope'}`;
					expected[cell] = session === 'public' || keyPasses(owner, held, key) ? 'pass' : 'FORBIDDEN';
					const apiKey = { id: 1, scopes: held === null ? [] : [held] };
					actual[cell] = pass(await gateCode(path, contextFor(t.db, owners[owner], { apiKey })));
				}
			}
			expect(actual).toEqual(expected);
		});
	}
});
