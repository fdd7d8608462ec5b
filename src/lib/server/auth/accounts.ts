import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { config } from '../config';
import { postEntry } from '../ledger/post';
import { createUserWallet } from '../ledger/wallets';
import { hashPassword, verifyPassword } from './password';
import { loadRegistrationSettings } from './registration-settings';
import { invalidateUserSessions } from './session';
import type { Role, SessionUser } from './identity';
import { conflict } from '../errors';

export interface NewUser {
	email: string;
	name: string;
	/** null for an account that cannot sign in; a service account never has one. */
	password: string | null;
	role?: Role;
	externalId?: string | null;
	/** External users (external/users.ts): what their platform says about them. */
	profile?: Pick<typeof users.$inferInsert, 'loginType' | 'contactEmail' | 'phone' | 'wechatOpenid' | 'wechatUnionid' | 'alipayUserid' | 'externalData'>;
}

const userColumns = { id: users.id, email: users.email, name: users.name, role: users.role, locale: users.locale };

/**
 * Creates the account, its wallet and its welcome grant in one transaction. With
 * `firstBecomesAdmin`, the first account of an empty instance is a platform admin
 * (an advisory lock makes two simultaneous first registrations agree on one).
 */
export async function createUser(db: Db, input: NewUser, opts: { firstBecomesAdmin?: boolean } = {}): Promise<SessionUser> {
	const passwordHash = input.password === null || input.role === 'service' ? null : await hashPassword(input.password);
	return db.transaction(async (tx) => {
		let role = input.role ?? 'user';
		if (opts.firstBecomesAdmin) {
			await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tally:first-user'))`);
			const [{ n }] = await tx.select({ n: count() }).from(users);
			if (n === 0) role = 'admin';
		}
		const [user] = await tx
			.insert(users)
			.values({ ...input.profile, email: input.email, name: input.name, passwordHash, role, externalId: input.externalId ?? null })
			.onConflictDoNothing()
			.returning(userColumns);
		if (!user) throw conflict('email_taken');
		const walletId = await createUserWallet(tx, user.id);
		const { welcomeCredits: welcome } = await loadRegistrationSettings(tx);
		if (welcome > 0 && role !== 'service') {
			await postEntry(tx, {
				walletId,
				amount: welcome,
				kind: 'welcome',
				idempotencyKey: `welcome:${user.id}`,
				memo: 'Welcome grant'
			});
		}
		return user;
	});
}

export async function findUserByEmail(db: Db, email: string) {
	const [row] = await db
		.select({ ...userColumns, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
		.from(users)
		.where(eq(users.email, email));
	return row ?? null;
}

/** A platform admin disabled the account. */
export class AccountDisabledError extends Error {
	constructor() {
		super('account_disabled');
	}
}

// Verifying against a real hash when the email is unknown keeps the response time from telling whether it exists.
let dummyHash: Promise<string> | undefined;

export async function authenticate(db: Db, email: string, password: string): Promise<SessionUser | null> {
	const row = await findUserByEmail(db, email);
	if (!row || !row.passwordHash || row.role === 'service') {
		dummyHash ??= hashPassword('not-a-real-password-1');
		await verifyPassword(await dummyHash, password);
		return null;
	}
	if (!(await verifyPassword(row.passwordHash, password))) return null;
	// Said only to someone who knows the password.
	if (row.disabledAt) throw new AccountDisabledError();
	const { passwordHash: _omit, disabledAt: _disabled, ...user } = row;
	return user;
}

export async function changePassword(db: Db, userId: number, current: string, next: string): Promise<boolean> {
	const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
	if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) return false;
	const passwordHash = await hashPassword(next);
	await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
	await invalidateUserSessions(db, userId);
	return true;
}

export async function setLocale(db: Db, userId: number, locale: 'zh-CN' | 'en'): Promise<void> {
	await db.update(users).set({ locale }).where(eq(users.id, userId));
}

/** ADMIN_EMAIL + ADMIN_PASSWORD pre-create a platform admin; an existing account is promoted. */
export async function ensureConfiguredAdmin(db: Db): Promise<void> {
	const { ADMIN_EMAIL, ADMIN_PASSWORD } = config();
	if (!ADMIN_EMAIL || !ADMIN_PASSWORD) return;
	const email = ADMIN_EMAIL.trim().toLowerCase();
	const existing = await findUserByEmail(db, email);
	if (existing) {
		if (existing.role !== 'admin') await db.update(users).set({ role: 'admin' }).where(eq(users.id, existing.id));
		return;
	}
	await createUser(db, { email, name: 'Admin', password: ADMIN_PASSWORD, role: 'admin' });
}
