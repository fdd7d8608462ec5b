import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { apiKeys, users } from '../db/schema';
import type { AuthedKey, SessionUser } from '../trpc/context';

export const KEY_PREFIX = 'tly_';
const DEFAULT_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** Only write last_used_at when it is older than this, so a busy key does not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const knownScopes = ['usage:write', 'users:sync', 'groups:manage'] as const;

export function hashKey(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export function generateKeySecret(): string {
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	return KEY_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

export interface CreatedKey {
	id: number;
	name: string;
	prefix: string;
	key: string;
	scopes: string[];
	expiresAt: Date | null;
}

export async function createApiKey(
	db: DbOrTx,
	userId: number,
	opts: { name: string; expiresAt?: Date | null; scopes?: string[] },
	now = new Date()
): Promise<CreatedKey> {
	const key = generateKeySecret();
	const expiresAt = opts.expiresAt === undefined ? new Date(now.getTime() + DEFAULT_TTL_MS) : opts.expiresAt;
	const [row] = await db
		.insert(apiKeys)
		.values({
			userId,
			name: opts.name,
			prefix: key.slice(0, KEY_PREFIX.length + 6),
			secretHash: hashKey(key),
			scopes: opts.scopes ?? [],
			expiresAt
		})
		.returning();
	return { id: row.id, name: row.name, prefix: row.prefix, key, scopes: row.scopes, expiresAt: row.expiresAt };
}

export async function listApiKeys(db: DbOrTx, userId: number) {
	return db
		.select({
			id: apiKeys.id,
			name: apiKeys.name,
			prefix: apiKeys.prefix,
			scopes: apiKeys.scopes,
			expiresAt: apiKeys.expiresAt,
			lastUsedAt: apiKeys.lastUsedAt,
			revokedAt: apiKeys.revokedAt,
			createdAt: apiKeys.createdAt
		})
		.from(apiKeys)
		.where(eq(apiKeys.userId, userId))
		.orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes one of the user's keys; false when the user has no such key. */
export async function revokeApiKey(db: DbOrTx, userId: number, keyId: number, now = new Date()): Promise<boolean> {
	const rows = await db
		.update(apiKeys)
		.set({ revokedAt: now })
		.where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
		.returning({ id: apiKeys.id });
	if (rows.length > 0) return true;
	const [existing] = await db
		.select({ id: apiKeys.id })
		.from(apiKeys)
		.where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)));
	return existing !== undefined;
}

export async function validateApiKey(
	db: DbOrTx,
	secret: string,
	now = new Date()
): Promise<{ user: SessionUser; key: AuthedKey } | null> {
	if (!secret.startsWith(KEY_PREFIX)) return null;
	const [row] = await db
		.select({
			id: apiKeys.id,
			scopes: apiKeys.scopes,
			expiresAt: apiKeys.expiresAt,
			revokedAt: apiKeys.revokedAt,
			lastUsedAt: apiKeys.lastUsedAt,
			user: { id: users.id, email: users.email, name: users.name, role: users.role, locale: users.locale }
		})
		.from(apiKeys)
		.innerJoin(users, eq(users.id, apiKeys.userId))
		.where(eq(apiKeys.secretHash, hashKey(secret)));
	if (!row || row.revokedAt) return null;
	if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return null;
	if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
		await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
	}
	return { user: row.user, key: { id: row.id, scopes: row.scopes } };
}
