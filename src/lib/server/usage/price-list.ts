import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { settings } from '../db/schema';

/** One price row: credits per 1,000,000 tokens and per image. */
export interface PriceRow {
	inputPrice: number;
	outputPrice: number;
	/** Credits per image; null = images not billed. */
	imagePrice: number | null;
	effectiveFrom: Date;
}

export interface PriceListEntry {
	code: string;
	displayName: string;
	provider: string;
	current: PriceRow | null;
	/** The next scheduled change, if any. */
	next: PriceRow | null;
}

type Raw = { input_price: string; output_price: string; image_price: string | null; effective_from: string } | null;

const row = (r: Raw): PriceRow | null =>
	r === null
		? null
		: {
				inputPrice: Number(r.input_price),
				outputPrice: Number(r.output_price),
				imagePrice: r.image_price === null ? null : Number(r.image_price),
				effectiveFrom: new Date(r.effective_from)
			};

/** Every active model with the price in force at `at` and the next scheduled one: the one place the price list reads prices. */
export async function priceList(db: DbOrTx, at = new Date()): Promise<PriceListEntry[]> {
	const when = at.toISOString();
	const cols = sql`json_build_object('input_price', p.input_price, 'output_price', p.output_price, 'image_price', p.image_price, 'effective_from', p.effective_from)`;
	const rows = await db.execute<{ code: string; display_name: string; provider: string; current: Raw; next: Raw }>(sql`
		select m.code, m.display_name, m.provider,
			(select ${cols} from model_prices p where p.model_id = m.id and p.effective_from <= ${when}::timestamptz order by p.effective_from desc limit 1) as current,
			(select ${cols} from model_prices p where p.model_id = m.id and p.effective_from > ${when}::timestamptz order by p.effective_from asc limit 1) as next
		from models m where m.active
		order by m.provider, m.display_name, m.code`);
	return rows.map((r) => ({ code: r.code, displayName: r.display_name, provider: r.provider, current: row(r.current), next: row(r.next) }));
}

export const PRICE_LIST_KEY = 'prices.public';

/** Whether visitors who are not signed in may see the price list (admin setting, off by default). */
export async function priceListIsPublic(db: DbOrTx): Promise<boolean> {
	const [r] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, PRICE_LIST_KEY));
	return (r?.value as { visitors?: unknown } | undefined)?.visitors === true;
}

export async function setPriceListPublic(db: DbOrTx, visitors: boolean, actorUserId: number | null): Promise<void> {
	await db
		.insert(settings)
		.values({ key: PRICE_LIST_KEY, value: { visitors }, updatedBy: actorUserId })
		.onConflictDoUpdate({ target: settings.key, set: { value: { visitors }, updatedBy: actorUserId, updatedAt: sql`now()` } });
}
