import type { Db } from '../db/client';
import { config } from '../config';
import { apiKeyOwners, knownUserIds, modelCatalog, type CatalogModel } from './metering-lookups';
import { catalogGeneration } from './models';

/**
 * The metering lookups (metering-lookups.ts) kept in this process, so a settle or reserve batch of
 * users and models seen before goes to the database once (its settling statement), not twice:
 * - users and API-key owners: an id found stays found (users and keys are never deleted, and a key
 *   never changes owner), so only ids not seen yet are read;
 * - the model catalog (active flag and every price row, scheduled ones too) is read again once it is
 *   MODEL_CACHE_SECONDS old, and at once after this process changed a model or a price
 *   (usage/models.ts counts its changes: `catalogGeneration`). A change made by another process reaches this
 *   one within that bound; a price scheduled that far ahead (effective_from) applies at its instant
 *   everywhere. Unknown ids and codes are never kept: they are read again on every batch.
 */

/** Beyond this many ids a set starts again empty: a bound on memory, not on correctness. */
const MAX_KEPT_IDS = 200_000;

interface CachedModel {
	model: CatalogModel;
	readAt: number;
	generation: number;
}

interface MeteringCache {
	/** Found users, by id (the value is the id again: the same rule as key owners). */
	users: Map<number, number>;
	keyOwners: Map<number, number>;
	models: Map<string, CachedModel>;
}

const caches = new WeakMap<Db, MeteringCache>();

function cacheOf(db: Db): MeteringCache {
	let cache = caches.get(db);
	if (!cache) caches.set(db, (cache = { users: new Map(), keyOwners: new Map(), models: new Map() }));
	return cache;
}

/** These ids' values: those kept from memory, the others read (and kept when found). */
async function foundStaysFound(kept: Map<number, number>, ids: number[], read: (unseen: number[]) => Promise<Map<number, number>>): Promise<Map<number, number>> {
	const known = new Map<number, number>();
	const unseen: number[] = [];
	for (const id of ids) {
		const value = kept.get(id);
		if (value === undefined) unseen.push(id);
		else known.set(id, value);
	}
	if (unseen.length > 0) {
		const found = await read(unseen);
		if (kept.size + found.size > MAX_KEPT_IDS) kept.clear();
		for (const [id, value] of found) {
			kept.set(id, value);
			known.set(id, value);
		}
	}
	return known;
}

/** Which of these user ids exist: ids seen before from memory, the others from the database. */
export async function knownUsersCached(db: Db, ids: number[]): Promise<Set<number>> {
	const known = await foundStaysFound(cacheOf(db).users, ids, async (unseen) => new Map([...(await knownUserIds(db, unseen))].map((id) => [id, id])));
	return new Set(known.keys());
}

/** The owner of each of these API keys that exists: keys seen before from memory. */
export function apiKeyOwnersCached(db: Db, ids: number[]): Promise<Map<number, number>> {
	return foundStaysFound(cacheOf(db).keyOwners, ids, (unseen) => apiKeyOwners(db, unseen));
}

/** Each of these models that exists, with every price row: from memory while fresh (MODEL_CACHE_SECONDS), else read. */
export async function modelCatalogCached(db: Db, codes: string[], now = Date.now()): Promise<Map<string, CatalogModel>> {
	const { models } = cacheOf(db);
	const maxAgeMs = config().MODEL_CACHE_SECONDS * 1000;
	const generation = catalogGeneration();
	const fresh = (entry: CachedModel | undefined) => entry !== undefined && entry.generation === generation && now >= entry.readAt && now - entry.readAt < maxAgeMs;
	const stale = codes.filter((code) => !fresh(models.get(code)));
	const read = stale.length > 0 ? await modelCatalog(db, stale) : new Map<string, CatalogModel>();
	for (const code of stale) {
		const model = read.get(code);
		if (model && maxAgeMs > 0) models.set(code, { model, readAt: now, generation });
		else models.delete(code);
	}
	const catalog = new Map<string, CatalogModel>();
	for (const code of codes) {
		const model = read.get(code) ?? models.get(code)?.model;
		if (model) catalog.set(code, model);
	}
	return catalog;
}
