import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { addDays } from '../calendar';

export interface UsageLogFilter {
	userId: number;
	/** Inclusive UTC days, 'YYYY-MM-DD'. */
	from?: string;
	to?: string;
	model?: string;
	/** 'personal': paid by the user's own wallet; a number: paid by that enterprise. */
	payer?: 'personal' | number;
	apiKeyId?: number;
}

export interface UsageLogRow {
	id: number;
	requestId: string;
	occurredAt: Date;
	model: string;
	inputTokens: number;
	outputTokens: number;
	images: number;
	cost: number;
	/** Credits of the cost covered by plan allowances and grants; regularUsed = cost − this, from the balance. */
	subscriptionUsed: number;
	regularUsed: number;
	walletId: number;
	/** The enterprise that paid, or null when the user's own wallet paid. */
	payerEnterpriseId: number | null;
	payerEnterpriseName: string | null;
}

export interface UsageLogPage {
	rows: UsageLogRow[];
	/** Pass back as `after` for the next (older) page; null on the last page. */
	nextCursor: number | null;
}

/** Largest page read at once (the CSV export reads in pages of this size). */
export const MAX_PAGE_SIZE = 5_000;

function logWhere(filter: UsageLogFilter, after: number | null): SQL {
	const parts: SQL[] = [sql`u.user_id = ${filter.userId}`];
	if (filter.from) parts.push(sql`u.occurred_at >= ${filter.from}::date::timestamptz`);
	if (filter.to) parts.push(sql`u.occurred_at < ${addDays(filter.to, 1)}::date::timestamptz`);
	if (filter.model) parts.push(sql`u.model = ${filter.model}`);
	if (filter.payer === 'personal') parts.push(sql`u.wallet_id in (select id from wallets where user_id = ${filter.userId})`);
	else if (filter.payer !== undefined) parts.push(sql`u.wallet_id in (select id from wallets where enterprise_id = ${filter.payer})`);
	if (filter.apiKeyId !== undefined) parts.push(sql`u.api_key_id = ${filter.apiKeyId}`);
	if (after !== null) {
		parts.push(sql`(u.occurred_at, u.id) < (select c.occurred_at, c.id from usage_records c where c.id = ${after} and c.user_id = ${filter.userId})`);
	}
	return sql.join(parts, sql` and `);
}

/** Totals of every record the filter matches (all pages). */
export async function usageLogTotals(db: DbOrTx, filter: UsageLogFilter) {
	const [row] = await db.execute<{ requests: string; input_tokens: string; output_tokens: string; cost: string }>(sql`
		select count(*) as requests, coalesce(sum(u.input_tokens), 0) as input_tokens, coalesce(sum(u.output_tokens), 0) as output_tokens, coalesce(sum(u.cost), 0) as cost
		from usage_records u
		where ${logWhere(filter, null)}`);
	return { requests: Number(row.requests), input_tokens: Number(row.input_tokens), output_tokens: Number(row.output_tokens), cost: Number(row.cost) };
}

/**
 * One page of a user's usage records, newest first, keyset-paginated on (occurred_at, id)
 * so deep pages cost the same as the first (index usage_records_user_time_idx).
 */
export async function usageLogPage(
	db: DbOrTx,
	filter: UsageLogFilter,
	opts: { after?: number | null; limit: number }
): Promise<UsageLogPage> {
	const limit = Math.min(Math.max(1, opts.limit), MAX_PAGE_SIZE);
	const rows = await db.execute<{
		id: string;
		request_id: string;
		occurred_ms: string;
		model: string;
		input_tokens: string;
		output_tokens: string;
		images: string;
		cost: string;
		subscription_used: string;
		wallet_id: number;
		payer_enterprise_id: number | null;
		payer_enterprise_name: string | null;
	}>(sql`
		select u.id, u.request_id, (extract(epoch from u.occurred_at) * 1000)::bigint as occurred_ms, u.model, u.input_tokens, u.output_tokens, u.images, u.cost, u.subscription_used, u.wallet_id,
			w.enterprise_id as payer_enterprise_id, g.name as payer_enterprise_name
		from usage_records u
		join wallets w on w.id = u.wallet_id
		left join enterprises g on g.id = w.enterprise_id
		where ${logWhere(filter, opts.after ?? null)}
		order by u.occurred_at desc, u.id desc
		limit ${limit + 1}`);
	const page = rows.slice(0, limit).map((r) => ({
		id: Number(r.id),
		requestId: r.request_id,
		occurredAt: new Date(Number(r.occurred_ms)),
		model: r.model,
		inputTokens: Number(r.input_tokens),
		outputTokens: Number(r.output_tokens),
		images: Number(r.images),
		cost: Number(r.cost),
		subscriptionUsed: Number(r.subscription_used),
		regularUsed: Number(r.cost) - Number(r.subscription_used),
		walletId: r.wallet_id,
		payerEnterpriseId: r.payer_enterprise_id,
		payerEnterpriseName: r.payer_enterprise_name
	}));
	return { rows: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
