import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/lib/server/trpc/root';
import type { SessionUser } from '../../src/lib/server/trpc/context';
import { useTestDatabase } from '../helpers/db';
import { contextFor, makeUser } from '../helpers/callers';

/**
 * Who may pass the role gate of every procedure. A procedure missing from this table fails the
 * test, so each new procedure must say who may call it. Resource-level checks (your own key, a
 * group you administer) are tested in each area's own tests.
 *   public  — anyone; user — any signed-in account; admin — platform admins only;
 *   service — platform admins or an API key with the named scope.
 */
type Access = 'public' | 'user' | 'admin' | { service: string };

export const access: Record<string, Access> = {
	'admin.users': 'admin',
	'admin.setRole': 'admin',
	'admin.registrationSettings': 'admin',
	'admin.updateRegistrationSettings': 'admin',
	'auth.register': 'public',
	'auth.login': 'public',
	'auth.logout': 'user',
	'auth.changePassword': 'user',
	'auth.me': 'user',
	'auth.setLocale': 'user',
	'dashboard.overview': 'user',
	'dashboard.records': 'user',
	'dashboard.usedModels': 'user',
	'dashboard.exportCsv': 'user',
	'dashboard.walletHistory': 'user',
	'dashboard.platform': 'admin',
	'dashboard.findUsers': 'admin',
	'groups.create': 'admin',
	'groups.setAdmins': 'admin',
	// Group procedures pass the role gate for any account; whether the caller administers or belongs
	// to that group is checked inside and tested in groups-api.test.ts.
	'groups.list': 'user',
	'groups.get': 'user',
	'groups.addUser': 'user',
	'groups.removeUser': 'user',
	'groups.userGroups': 'user',
	'groups.adminCredit': 'user',
	'groups.mine': 'user',
	'groups.setSuspended': 'user',
	'groups.reorder': 'user',
	'groups.members': 'user',
	'groups.addMembers': 'user',
	'groups.removeMembers': 'user',
	'groups.setLimit': 'user',
	'groups.report': 'user',
	'groups.walletHistory': 'user',
	'keys.create': 'user',
	'keys.list': 'user',
	'keys.revoke': 'user',
	'recharge.tiersEligibility': 'user',
	'recharge.eligibility': 'user',
	'recharge.page': 'user',
	'recharge.createOrder': 'user',
	'recharge.order': 'user',
	'recharge.orders': 'user',
	'recharge.admin.settings': 'admin',
	'recharge.admin.updateSettings': 'admin',
	'recharge.admin.refund': 'admin',
	'recharge.admin.lateOrders': 'admin',
	'recharge.admin.paymentEvents': 'admin',
	'usage.report': { service: 'usage:write' },
	'usage.authorize': { service: 'usage:write' },
	'usage.balance': 'user',
	'usage.summary': 'user',
	'usage.models': 'user',
	'usage.adjust': 'admin',
	'usage.setModelPrice': 'admin',
	'usage.adminModels': 'admin',
	'usage.priceHistory': 'admin',
	'usage.setModelActive': 'admin',
	'usage.releaseHold': { service: 'usage:write' },
	'usage.wallet': 'user',
	'usage.grant': 'admin'
};

const t = useTestDatabase();
let user: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
	user = await makeUser(t.db);
	admin = await makeUser(t.db, { role: 'admin' });
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

	for (const [path, rule] of Object.entries(access)) {
		it(`${path}: ${typeof rule === 'string' ? rule : 'service ' + rule.service}`, async () => {
			const anonymous = await gateCode(path, contextFor(t.db, null));
			const plainUser = await gateCode(path, contextFor(t.db, user));
			const userKeyWithoutScope = await gateCode(path, contextFor(t.db, user, { apiKey: { id: 1, scopes: [] } }));
			const platformAdmin = await gateCode(path, contextFor(t.db, admin));
			const pass = (code: string) => code === 'OK' || code === 'PASSED';
			if (rule === 'public') {
				expect(pass(anonymous)).toBe(true);
				expect(pass(plainUser)).toBe(true);
			} else if (rule === 'user') {
				expect(anonymous).toBe('UNAUTHORIZED');
				expect(pass(plainUser)).toBe(true);
				expect(pass(platformAdmin)).toBe(true);
			} else if (rule === 'admin') {
				expect(anonymous).toBe('UNAUTHORIZED');
				expect(plainUser).toBe('FORBIDDEN');
				expect(userKeyWithoutScope).toBe('FORBIDDEN');
				expect(pass(platformAdmin)).toBe(true);
			} else {
				const serviceKey = await gateCode(path, contextFor(t.db, user, { apiKey: { id: 1, scopes: [rule.service] } }));
				expect(anonymous).toBe('UNAUTHORIZED');
				expect(plainUser).toBe('FORBIDDEN');
				expect(userKeyWithoutScope).toBe('FORBIDDEN');
				expect(pass(serviceKey)).toBe(true);
				expect(pass(platformAdmin)).toBe(true);
			}
		});
	}
});
