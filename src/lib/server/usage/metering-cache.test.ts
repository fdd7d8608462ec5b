import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client';
import { overrideConfig } from '../config';
import type { CatalogModel } from './metering-lookups';

const read = vi.hoisted(() => ({ users: [] as number[][], keys: [] as number[][], models: [] as string[][] }));
const existing = vi.hoisted(() => ({ users: new Set([1, 2, 3]), keys: new Map([[10, 1]]), models: new Set(['m-a', 'm-b']) }));

vi.mock('./metering-lookups', () => ({
	knownUserIds: async (_db: Db, ids: number[]) => {
		read.users.push(ids);
		return new Set(ids.filter((id) => existing.users.has(id)));
	},
	apiKeyOwners: async (_db: Db, ids: number[]) => {
		read.keys.push(ids);
		return new Map(ids.flatMap((id) => (existing.keys.has(id) ? [[id, existing.keys.get(id)!] as const] : [])));
	},
	modelCatalog: async (_db: Db, codes: string[]) => {
		read.models.push(codes);
		const model: CatalogModel = { active: true, prices: [] };
		return new Map(codes.filter((c) => existing.models.has(c)).map((c) => [c, model]));
	}
}));

const { apiKeyOwnersCached, knownUsersCached, modelCatalogCached } = await import('./metering-cache');

/** Each test its own "database": the caches are per Db handle. */
let db: Db;
beforeEach(() => {
	db = {} as Db;
	read.users = [];
	read.keys = [];
	read.models = [];
	overrideConfig({ MODEL_CACHE_SECONDS: 1 });
});

describe('metering cache: users and API-key owners', () => {
	it('reads only ids it has not found before, and answers the same as the database', async () => {
		expect([...(await knownUsersCached(db, [1, 2]))]).toEqual([1, 2]);
		expect([...(await knownUsersCached(db, [2, 1]))].sort()).toEqual([1, 2]);
		expect([...(await knownUsersCached(db, [1, 3]))].sort()).toEqual([1, 3]);
		expect(read.users).toEqual([[1, 2], [3]]);
	});

	it('never keeps an unknown id: it is read again on every batch', async () => {
		expect([...(await knownUsersCached(db, [1, 99]))]).toEqual([1]);
		expect([...(await knownUsersCached(db, [1, 99]))]).toEqual([1]);
		expect(read.users).toEqual([[1, 99], [99]]);
		existing.users.add(99);
		expect([...(await knownUsersCached(db, [99]))]).toEqual([99]);
		existing.users.delete(99);
	});

	it('keeps key owners the same way', async () => {
		expect([...(await apiKeyOwnersCached(db, [10, 11]))]).toEqual([[10, 1]]);
		expect([...(await apiKeyOwnersCached(db, [10]))]).toEqual([[10, 1]]);
		expect(read.keys).toEqual([[10, 11]]);
	});

	it('answers ids found before also in the batch that fills memory to its bound', async () => {
		const many = Array.from({ length: 200_000 }, (_, i) => 1_000 + i);
		for (const id of [...many, 900_000]) existing.keys.set(id, 7);
		try {
			expect((await apiKeyOwnersCached(db, many)).size).toBe(200_000);
			const owners = await apiKeyOwnersCached(db, [1_000, 900_000]);
			expect([...owners]).toEqual([
				[1_000, 7],
				[900_000, 7]
			]);
			expect(read.keys.at(-1)).toEqual([900_000]);
		} finally {
			for (const id of [...many, 900_000]) existing.keys.delete(id);
		}
	});

	it('keeps each database apart', async () => {
		await knownUsersCached(db, [1]);
		await knownUsersCached({} as Db, [1]);
		expect(read.users).toEqual([[1], [1]]);
	});
});

describe('metering cache: the model catalog', () => {
	it('reads a model again once it is MODEL_CACHE_SECONDS old, and not before', async () => {
		const t0 = 1_000_000;
		await modelCatalogCached(db, ['m-a'], t0);
		await modelCatalogCached(db, ['m-a'], t0 + 999);
		expect(read.models).toEqual([['m-a']]);
		await modelCatalogCached(db, ['m-a', 'm-b'], t0 + 1_000);
		expect(read.models).toEqual([['m-a'], ['m-a', 'm-b']]);
	});

	it('reads unknown codes on every batch, and everything when MODEL_CACHE_SECONDS is 0', async () => {
		const t0 = 3_000_000;
		expect([...(await modelCatalogCached(db, ['m-a', 'nope'], t0)).keys()]).toEqual(['m-a']);
		expect([...(await modelCatalogCached(db, ['m-a', 'nope'], t0 + 1)).keys()]).toEqual(['m-a']);
		expect(read.models).toEqual([['m-a', 'nope'], ['nope']]);
		overrideConfig({ MODEL_CACHE_SECONDS: 0 });
		await modelCatalogCached(db, ['m-a'], t0 + 2);
		await modelCatalogCached(db, ['m-a'], t0 + 3);
		expect(read.models.slice(2)).toEqual([['m-a'], ['m-a']]);
	});

	it('reads it again when the clock went back', async () => {
		await modelCatalogCached(db, ['m-b'], 5_000_000);
		await modelCatalogCached(db, ['m-b'], 4_999_000);
		expect(read.models).toEqual([['m-b'], ['m-b']]);
	});
});
