import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { config } from '../config';
import { apiKeys, users } from '../db/schema';
import { keyScopes, type KeyScope } from '../../schemas/keys';
import type { AuthedKey, Role, SessionUser } from './identity';

export const KEY_PREFIX = 'tly_';
const DEFAULT_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** Only write last_used_at when it is older than this, so a busy key does not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** Which owners may hold each scope; a key never does more than its owner may. */
const scopeHolders: Record<KeyScope, readonly Role[]> = {
	'usage:read': ['user', 'admin', 'service'],
	'usage:write:own': ['user', 'admin', 'service'],
	'usage:write': ['admin', 'service'],
	'enterprises:manage': ['admin', 'service'],
	'users:sync': ['admin', 'service'],
	admin: ['admin']
};

export function ownerMayHold(role: Role, scope: KeyScope): boolean {
	return scopeHolders[scope].includes(role);
}

export class ScopeNotAllowedError extends Error {
	constructor(readonly scope: KeyScope) {
		super(`scope_not_allowed:${scope}`);
	}
}

const isKeyScope = (s: string): s is KeyScope => (keyScopes as readonly string[]).includes(s);

/**
 * The scopes of a key that count now: known ones its owner may hold. A plain user's usage:write
 * key (made before own usage existed, or owned by a demoted admin) counts as usage:write:own.
 */
export function effectiveScopes(ownerRole: Role, scopes: readonly string[]): Set<KeyScope> {
	const held = new Set<KeyScope>();
	for (const scope of scopes) {
		if (!isKeyScope(scope)) continue;
		if (ownerMayHold(ownerRole, scope)) held.add(scope);
		else if (scope === 'usage:write' && ownerMayHold(ownerRole, 'usage:write:own')) held.add('usage:write:own');
	}
	return held;
}

/** Whether a key reaches a procedure that names `scope`; a usage:write procedure also takes usage:write:own keys and limits them to own usage. */
export function keyReaches(ownerRole: Role, scopes: readonly string[], scope: KeyScope): boolean {
	const held = effectiveScopes(ownerRole, scopes);
	return held.has(scope) || (scope === 'usage:write' && held.has('usage:write:own'));
}

/**
 * The role a key acts with inside a procedure: 'admin' only with the admin scope; an admin's
 * other keys act as a service account (platform-wide for the scopes they hold, no admin powers).
 */
export function actingRole(ownerRole: Role, scopes: readonly string[]): Role {
	if (ownerRole !== 'admin') return ownerRole;
	return effectiveScopes(ownerRole, scopes).has('admin') ? 'admin' : 'service';
}

/** Whether this caller may report and authorize usage for its own account only (own usage). */
export function ownUsageOnly(user: SessionUser, key: AuthedKey | null): boolean {
	return key !== null && !effectiveScopes(user.role, key.scopes).has('usage:write');
}

/** The owner of each of these keys (revoked ones too: they identify whose usage an event is). */
export async function keyOwners(db: DbOrTx, keyIds: number[]): Promise<Map<number, number>> {
	if (keyIds.length === 0) return new Map();
	const rows = await db.select({ id: apiKeys.id, userId: apiKeys.userId }).from(apiKeys).where(inArray(apiKeys.id, keyIds));
	return new Map(rows.map((r) => [r.id, r.userId]));
}

export function hashKey(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
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

/** Creates a key for the account; a scope its owner may not hold throws ScopeNotAllowedError and creates nothing. */
export async function createApiKey(
	db: DbOrTx,
	userId: number,
	opts: { name: string; expiresAt?: Date | null; scopes?: KeyScope[] },
	now = new Date()
): Promise<CreatedKey> {
	const scopes = [...new Set(opts.scopes ?? [])];
	if (scopes.length > 0) {
		const [owner] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
		const refused = scopes.find((scope) => !owner || !ownerMayHold(owner.role, scope));
		if (refused) throw new ScopeNotAllowedError(refused);
	}
	const key = generateKeySecret();
	const expiresAt = opts.expiresAt === undefined ? new Date(now.getTime() + DEFAULT_TTL_MS) : opts.expiresAt;
	const [row] = await db
		.insert(apiKeys)
		.values({
			userId,
			name: opts.name,
			prefix: key.slice(0, KEY_PREFIX.length + 6),
			secretHash: hashKey(key),
			scopes,
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
	forgetKeyChecks(keyId);
	if (rows.length > 0) return true;
	const [existing] = await db
		.select({ id: apiKeys.id })
		.from(apiKeys)
		.where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)));
	return existing !== undefined;
}

interface KeyCheck {
	id: number;
	scopes: string[];
	expiresAt: Date | null;
	revokedAt: Date | null;
	lastUsedAt: Date | null;
	user: SessionUser;
	/** When this check was read from the database. */
	readAt: number;
}

/** Keys checked lately, by secret hash (config API_KEY_CACHE_SECONDS); per process, bounded. */
const checked = new Map<string, KeyCheck>();
const MAX_CACHED_KEYS = 10_000;
/**
 * Checks being read, by secret hash: every request that finds a key's check stale while it is read
 * waits for that one read. Without it, the requests in flight when a check goes stale (a gateway's
 * whole burst) each read the key, and the first time that grows the connection pool at once.
 */
const reading = new Map<string, Promise<KeyCheck | null>>();
/** Bumped by every forget: a read that began before it is answered but not kept. */
let forgets = 0;

/** Forget cached checks (all, or one key's): the revoking process sees a revocation at once. */
export function forgetKeyChecks(keyId?: number): void {
	forgets++;
	reading.clear();
	if (keyId === undefined) return checked.clear();
	for (const [hash, check] of checked) if (check.id === keyId) checked.delete(hash);
}

/** A fresh check of the key, read once however many requests ask for it meanwhile, and kept. */
function refreshKeyCheck(db: DbOrTx, hash: string, now: Date): Promise<KeyCheck | null> {
	const pending = reading.get(hash);
	if (pending) return pending;
	const forgetsBefore = forgets;
	const read = readKeyCheck(db, hash, now)
		.then((check) => {
			if (forgets !== forgetsBefore) return check;
			if (checked.size >= MAX_CACHED_KEYS) checked.clear();
			if (check) checked.set(hash, check);
			else checked.delete(hash);
			return check;
		})
		.finally(() => {
			if (reading.get(hash) === read) reading.delete(hash);
		});
	reading.set(hash, read);
	return read;
}

async function readKeyCheck(db: DbOrTx, hash: string, now: Date): Promise<KeyCheck | null> {
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
		.where(and(eq(apiKeys.secretHash, hash), isNull(users.disabledAt)));
	return row ? { ...row, readAt: now.getTime() } : null;
}

/**
 * The key's owner and scopes, or null for an unknown, revoked or expired key. A check read from the
 * database is reused for up to API_KEY_CACHE_SECONDS (revocation, expiry at its instant, and the
 * owner's role all take effect within that bound); last_used_at is written at most once a minute.
 */
export async function validateApiKey(
	db: DbOrTx,
	secret: string,
	now = new Date()
): Promise<{ user: SessionUser; key: AuthedKey } | null> {
	if (!secret.startsWith(KEY_PREFIX)) return null;
	const hash = hashKey(secret);
	const maxAgeMs = config().API_KEY_CACHE_SECONDS * 1000;
	let check = checked.get(hash);
	if (!check || now.getTime() - check.readAt >= maxAgeMs || now.getTime() < check.readAt) {
		check = (await (maxAgeMs > 0 ? refreshKeyCheck(db, hash, now) : readKeyCheck(db, hash, now))) ?? undefined;
	}
	if (!check || check.revokedAt) return null;
	if (check.expiresAt && check.expiresAt.getTime() <= now.getTime()) return null;
	if (!check.lastUsedAt || now.getTime() - check.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
		check.lastUsedAt = now;
		await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, check.id));
	}
	return { user: check.user, key: { id: check.id, scopes: check.scopes } };
}
