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
	users: Set<number>;
	keyOwners: Map<number, number>;
	models: Map<string, CachedModel>;
}

const caches = new WeakMap<Db, MeteringCache>();

function cacheOf(db: Db): MeteringCache {
	let cache = caches.get(db);
	if (!cache) caches.set(db, (cache = { users: new Set(), keyOwners: new Map(), models: new Map() }));
	return cache;
}

/** Which of these user ids exist: ids seen before from memory, the others from the database. */
export async function knownUsersCached(db: Db, ids: number[]): Promise<Set<number>> {
	const { users } = cacheOf(db);
	const unseen = ids.filter((id) => !users.has(id));
	if (unseen.length > 0) {
		const found = await knownUserIds(db, unseen);
		if (users.size + found.size > MAX_KEPT_IDS) users.clear();
		for (const id of found) users.add(id);
	}
	return new Set(ids.filter((id) => users.has(id)));
}

/** The owner of each of these API keys that exists: keys seen before from memory. */
export async function apiKeyOwnersCached(db: Db, ids: number[]): Promise<Map<number, number>> {
	const { keyOwners } = cacheOf(db);
	const unseen = ids.filter((id) => !keyOwners.has(id));
	if (unseen.length > 0) {
		const found = await apiKeyOwners(db, unseen);
		if (keyOwners.size + found.size > MAX_KEPT_IDS) keyOwners.clear();
		for (const [id, owner] of found) keyOwners.set(id, owner);
	}
	const owners = new Map<number, number>();
	for (const id of ids) {
		const owner = keyOwners.get(id);
		if (owner !== undefined) owners.set(id, owner);
	}
	return owners;
}

/** Each of these models that exists, with every price row: from memory while fresh (MODEL_CACHE_SECONDS), else read. */
export async function modelCatalogCached(db: Db, codes: string[], now = Date.now()): Promise<Map<string, CatalogModel>> {
	const { models } = cacheOf(db);
	const maxAgeMs = config().MODEL_CACHE_SECONDS * 1000;
	const fresh = (entry: CachedModel | undefined) => entry !== undefined && entry.generation === catalogGeneration() && now - entry.readAt < maxAgeMs && now >= entry.readAt;
	const stale = codes.filter((code) => !fresh(models.get(code)));
	const catalog = new Map<string, CatalogModel>();
	if (stale.length > 0) {
		const generation = catalogGeneration();
		const read = await modelCatalog(db, stale);
		for (const code of stale) {
			const model = read.get(code);
			if (model) catalog.set(code, model);
			if (model && maxAgeMs > 0) models.set(code, { model, readAt: now, generation });
			else models.delete(code);
		}
	}
	for (const code of codes) {
		const entry = models.get(code);
		if (!catalog.has(code) && entry) catalog.set(code, entry.model);
	}
	return catalog;
}
