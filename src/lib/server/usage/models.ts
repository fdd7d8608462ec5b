import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { modelPrices, models, type ModelType } from '../db/schema';
import { DomainError } from '../errors';

export class ModelNotFoundError extends DomainError {
	constructor() {
		super('not_found', 'model_not_found');
	}
}
/** A price row for that model from that very moment exists; history is never rewritten. */
export class PriceExistsError extends DomainError {
	constructor() {
		super('conflict', 'price_exists_for_date');
	}
}

export interface ModelWithPrice {
	id: number;
	code: string;
	provider: string;
	displayName: string;
	type: ModelType;
	active: boolean;
	/** Credits per image in force now (null = images not billed) and the least one request costs. */
	imagePrice: number | null;
	minCharge: number;
	/** The price in force now; null when the model has no price yet (it cannot be billed by tokens). */
	inputPrice: number | null;
	outputPrice: number | null;
	effectiveFrom: Date | null;
	/** A price row that takes effect later, if one is scheduled. */
	nextEffectiveFrom: Date | null;
}

export interface SetPriceInput {
	code: string;
	provider: string;
	displayName?: string;
	inputPrice: number;
	outputPrice: number;
	imagePrice?: number | null;
	minCharge?: number;
	type?: ModelType;
	effectiveFrom?: Date;
	actorUserId?: number | null;
}

/** Changes this process made to models and prices: the metering cache (metering-cache.ts) reads the catalog again after one. */
let changes = 0;

export function catalogGeneration(): number {
	return changes;
}

function modelCatalogChanged(): void {
	changes++;
}

/**
 * Creates the model if it is new, then appends a price row: a price change never rewrites
 * history, so usage is always priced with the row in force when it happened.
 */
export async function setModelPrice(db: DbOrTx, input: SetPriceInput, now = new Date()) {
	const set = await db.transaction(async (tx) => {
		const [created] = await tx
			.insert(models)
			.values({ code: input.code, provider: input.provider, displayName: input.displayName || input.code, type: input.type ?? 'text' })
			.onConflictDoNothing({ target: models.code })
			.returning();
		let model = created;
		if (!model) {
			const patch: Partial<typeof models.$inferInsert> = { provider: input.provider };
			if (input.displayName) patch.displayName = input.displayName;
			if (input.type) patch.type = input.type;
			[model] = await tx.update(models).set(patch).where(eq(models.code, input.code)).returning();
		}
		const [price] = await tx
			.insert(modelPrices)
			.values({
				modelId: model.id,
				inputPrice: input.inputPrice,
				outputPrice: input.outputPrice,
				imagePrice: input.imagePrice ?? null,
				minCharge: input.minCharge ?? 0,
				effectiveFrom: input.effectiveFrom ?? now,
				createdBy: input.actorUserId ?? null
			})
			.onConflictDoNothing({ target: [modelPrices.modelId, modelPrices.effectiveFrom] })
			.returning();
		if (!price) throw new PriceExistsError();
		return { model, price, created: created !== undefined };
	});
	modelCatalogChanged();
	return set;
}

export async function setModelActive(db: DbOrTx, modelId: number, active: boolean) {
	const [row] = await db.update(models).set({ active }).where(eq(models.id, modelId)).returning();
	if (!row) throw new ModelNotFoundError();
	modelCatalogChanged();
	return row;
}

/** Every model with the price in force at `at` (default now), active ones first. */
export async function listModels(db: DbOrTx, opts: { includeInactive?: boolean; at?: Date } = {}): Promise<ModelWithPrice[]> {
	const at = (opts.at ?? new Date()).toISOString();
	const rows = await db.execute<{
		id: number;
		code: string;
		provider: string;
		display_name: string;
		type: ModelType;
		active: boolean;
		image_price: string | null;
		min_charge: string | null;
		input_price: string | null;
		output_price: string | null;
		effective_from: string | null;
		next_effective_from: string | null;
	}>(sql`
		select m.id, m.code, m.provider, m.display_name, m.type, m.active,
			p.input_price, p.output_price, p.image_price, p.min_charge, p.effective_from,
			(select min(n.effective_from) from model_prices n where n.model_id = m.id and n.effective_from > ${at}::timestamptz) as next_effective_from
		from models m
		left join lateral (
			select input_price, output_price, image_price, min_charge, effective_from from model_prices
			where model_id = m.id and effective_from <= ${at}::timestamptz
			order by effective_from desc limit 1
		) p on true
		where ${opts.includeInactive ? sql`true` : sql`m.active`}
		order by m.active desc, m.provider, m.code`);
	return rows.map((r) => ({
		id: r.id,
		code: r.code,
		provider: r.provider,
		displayName: r.display_name,
		type: r.type,
		active: r.active,
		imagePrice: r.image_price === null ? null : Number(r.image_price),
		minCharge: Number(r.min_charge ?? 0),
		inputPrice: r.input_price === null ? null : Number(r.input_price),
		outputPrice: r.output_price === null ? null : Number(r.output_price),
		effectiveFrom: r.effective_from === null ? null : new Date(r.effective_from),
		nextEffectiveFrom: r.next_effective_from === null ? null : new Date(r.next_effective_from)
	}));
}

export async function priceHistory(db: DbOrTx, modelId: number) {
	const [model] = await db.select().from(models).where(eq(models.id, modelId));
	if (!model) throw new ModelNotFoundError();
	const prices = await db
		.select()
		.from(modelPrices)
		.where(eq(modelPrices.modelId, modelId))
		.orderBy(desc(modelPrices.effectiveFrom), asc(modelPrices.id));
	return { model, prices };
}

/** The price of an active model in force at `at`, or null when it cannot be billed by tokens. */
export async function activePriceAt(db: DbOrTx, code: string, at: Date) {
	const [row] = await db
		.select({ inputPrice: modelPrices.inputPrice, outputPrice: modelPrices.outputPrice, effectiveFrom: modelPrices.effectiveFrom })
		.from(models)
		.innerJoin(modelPrices, eq(modelPrices.modelId, models.id))
		.where(and(eq(models.code, code), eq(models.active, true), sql`${modelPrices.effectiveFrom} <= ${at.toISOString()}::timestamptz`))
		.orderBy(desc(modelPrices.effectiveFrom))
		.limit(1);
	return row ?? null;
}

export interface PriceRowView {
	inputPrice: number;
	outputPrice: number;
	/** Credits per image; null = images not billed. */
	imagePrice: number | null;
	minCharge: number;
	effectiveFrom: Date;
}

/** A model's price columns as read through a left join: all null when the model has no price row yet. */
export const joinedPriceColumns = {
	inputPrice: modelPrices.inputPrice,
	outputPrice: modelPrices.outputPrice,
	imagePrice: modelPrices.imagePrice,
	minCharge: modelPrices.minCharge,
	effectiveFrom: modelPrices.effectiveFrom
};

/** The price row read through `joinedPriceColumns`, or null for a model without one. */
export function joinedPriceRow(r: {
	inputPrice: number | null;
	outputPrice: number | null;
	imagePrice: number | null;
	minCharge: number | null;
	effectiveFrom: Date | null;
}): PriceRowView | null {
	if (r.effectiveFrom === null) return null;
	return { inputPrice: r.inputPrice!, outputPrice: r.outputPrice!, imagePrice: r.imagePrice, minCharge: r.minCharge ?? 0, effectiveFrom: r.effectiveFrom };
}

export interface PriceListEntry {
	code: string;
	provider: string;
	displayName: string;
	type: ModelType;
	/** In force at `at`; null when the model has no price yet. */
	current: PriceRowView | null;
	/** Rows that take effect after `at`, earliest first. */
	scheduled: PriceRowView[];
}

/**
 * The public price list: every active model with the price row in force at `at` (tokens per 1M,
 * per image, minimum charge) and the changes already scheduled after it.
 */
export async function activePriceList(db: DbOrTx, at = new Date()): Promise<PriceListEntry[]> {
	const rows = await db
		.select({
			code: models.code,
			provider: models.provider,
			displayName: models.displayName,
			type: models.type,
			...joinedPriceColumns
		})
		.from(models)
		.leftJoin(modelPrices, eq(modelPrices.modelId, models.id))
		.where(eq(models.active, true))
		.orderBy(asc(models.provider), asc(models.code), asc(modelPrices.effectiveFrom));
	const list = new Map<string, PriceListEntry>();
	for (const r of rows) {
		const entry = list.get(r.code) ?? { code: r.code, provider: r.provider, displayName: r.displayName, type: r.type, current: null, scheduled: [] };
		list.set(r.code, entry);
		const row = joinedPriceRow(r);
		if (row === null) continue;
		if (row.effectiveFrom.getTime() <= at.getTime()) entry.current = row;
		else entry.scheduled.push(row);
	}
	return [...list.values()];
}
