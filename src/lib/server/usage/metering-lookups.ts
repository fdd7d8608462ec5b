import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys, modelPrices, models, users } from '../db/schema';
import { joinedPriceColumns, joinedPriceRow } from './models';
import type { ModelPrice } from './price';

/**
 * The lookups every metering batch makes before settling or reserving (which users exist, whose
 * API keys, which models at which prices), as prepared statements: planned once per connection
 * instead of on every batch, and the same text for any number of ids (`= any($1)`, not `in (…)`).
 */
function prepare(db: Db) {
	return {
		users: db
			.select({ id: users.id })
			.from(users)
			.where(sql`${users.id} = any(${sql.placeholder('ids')}::int[])`)
			.prepare('metering_users'),
		keyOwners: db
			.select({ id: apiKeys.id, userId: apiKeys.userId })
			.from(apiKeys)
			.where(sql`${apiKeys.id} = any(${sql.placeholder('ids')}::int[])`)
			.prepare('metering_key_owners'),
		models: db
			.select({ code: models.code, active: models.active, ...joinedPriceColumns })
			.from(models)
			.leftJoin(modelPrices, eq(modelPrices.modelId, models.id))
			.where(sql`${models.code} = any(${sql.placeholder('codes')}::text[])`)
			.prepare('metering_models')
	};
}

const prepared = new WeakMap<Db, ReturnType<typeof prepare>>();

function lookups(db: Db) {
	let found = prepared.get(db);
	if (!found) prepared.set(db, (found = prepare(db)));
	return found;
}

/** Which of these user ids exist. */
export async function knownUserIds(db: Db, ids: number[]): Promise<Set<number>> {
	if (ids.length === 0) return new Set();
	return new Set((await lookups(db).users.execute({ ids })).map((u) => u.id));
}

/** The owner of each of these API keys that exists. */
export async function apiKeyOwners(db: Db, ids: number[]): Promise<Map<number, number>> {
	if (ids.length === 0) return new Map();
	return new Map((await lookups(db).keyOwners.execute({ ids })).map((k) => [k.id, k.userId]));
}

export interface CatalogModel {
	active: boolean;
	/** Every price row, scheduled ones too: `priceInForce` picks the one for a time. */
	prices: Array<ModelPrice & { effectiveFrom: Date }>;
}

/** Each of these models that exists, with every price row it has. */
export async function modelCatalog(db: Db, codes: string[]): Promise<Map<string, CatalogModel>> {
	const catalog = new Map<string, CatalogModel>();
	if (codes.length === 0) return catalog;
	for (const row of await lookups(db).models.execute({ codes })) {
		const entry = catalog.get(row.code) ?? { active: row.active, prices: [] };
		const price = joinedPriceRow(row);
		if (price !== null) entry.prices.push(price);
		catalog.set(row.code, entry);
	}
	return catalog;
}
