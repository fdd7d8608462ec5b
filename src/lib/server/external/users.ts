import { DomainError } from '../errors';
import { eq } from 'drizzle-orm';
import type { SyncInput } from '$lib/schemas/external';
import type { Db, DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { createUser } from '../auth/accounts';
import { createApiKey, type CreatedKey } from '../auth/api-keys';

/**
 * Users a platform signs in itself and names by its own id (`users.external_id`, unique among
 * the users that have one). They have no password and never sign in to Tally; their login is
 * a reserved address no registration can take (`external:<id>`, not an email).
 */

export type ExternalUser = typeof users.$inferSelect;

export class ExternalUserNotFoundError extends Error {}

export function externalLogin(externalUserId: string): string {
	return `external:${externalUserId}`;
}

export async function findExternalUser(db: DbOrTx, externalUserId: string): Promise<ExternalUser | null> {
	const [row] = await db.select().from(users).where(eq(users.externalId, externalUserId));
	return row ?? null;
}

export async function requireExternalUser(db: DbOrTx, externalUserId: string): Promise<ExternalUser> {
	const user = await findExternalUser(db, externalUserId);
	if (!user) throw new ExternalUserNotFoundError(externalUserId);
	return user;
}

type Profile = Pick<ExternalUser, 'name' | 'loginType' | 'contactEmail' | 'phone' | 'wechatOpenid' | 'wechatUnionid' | 'alipayUserid' | 'externalData'>;

/** The columns a sync sets: only the fields it names (an absent field keeps what was stored). */
function profileOf(input: SyncInput): Partial<Profile> {
	const out: Partial<Profile> = { loginType: input.login_type };
	if (input.name !== undefined) out.name = input.name;
	if (input.email !== undefined) out.contactEmail = input.email;
	if (input.phone !== undefined) out.phone = input.phone;
	if (input.wechat_openid !== undefined) out.wechatOpenid = input.wechat_openid;
	if (input.wechat_unionid !== undefined) out.wechatUnionid = input.wechat_unionid;
	if (input.alipay_userid !== undefined) out.alipayUserid = input.alipay_userid;
	if (input.external_data !== undefined) out.externalData = input.external_data;
	return out;
}

function changed(user: ExternalUser, patch: Partial<Profile>): Partial<Profile> {
	const out: Partial<Profile> = {};
	for (const [key, value] of Object.entries(patch) as [keyof Profile, unknown][]) {
		if (JSON.stringify(user[key]) !== JSON.stringify(value)) (out as Record<string, unknown>)[key] = value;
	}
	return out;
}

async function update(db: Db, user: ExternalUser, patch: Partial<Profile>): Promise<ExternalUser> {
	const diff = changed(user, patch);
	if (Object.keys(diff).length === 0) return user;
	const [row] = await db.update(users).set(diff).where(eq(users.id, user.id)).returning();
	return row;
}

/**
 * Creates the user (wallet and welcome grant in the same transaction, createUser) or updates
 * the fields the call names. Two syncs of one new id at once: the partial unique index on
 * external_id lets one insert win; the other finds that user and updates it.
 */
export async function syncExternalUser(db: Db, input: SyncInput): Promise<{ user: ExternalUser; created: boolean }> {
	const patch = profileOf(input);
	const existing = await findExternalUser(db, input.external_user_id);
	if (existing) return { user: await update(db, existing, patch), created: false };
	try {
		const { name, ...profile } = patch;
		await createUser(db, {
			email: externalLogin(input.external_user_id),
			name: name ?? input.external_user_id,
			password: null,
			externalId: input.external_user_id,
			profile
		});
		return { user: await requireExternalUser(db, input.external_user_id), created: true };
	} catch (err) {
		if (!(err instanceof DomainError && err.kind === 'conflict')) throw err;
		const winner = await requireExternalUser(db, input.external_user_id);
		return { user: await update(db, winner, patch), created: false };
	}
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A new API key for the user (several may exist); the secret is in the answer only. */
export async function createExternalUserKey(
	db: Db,
	externalUserId: string,
	opts: { name?: string; expiresInDays: number },
	now = new Date()
): Promise<CreatedKey> {
	const user = await requireExternalUser(db, externalUserId);
	return createApiKey(db, user.id, { name: opts.name ?? 'external', expiresAt: new Date(now.getTime() + opts.expiresInDays * DAY_MS), scopes: [] }, now);
}
