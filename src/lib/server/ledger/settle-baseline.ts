import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

/**
 * For bench/settle-profile.ts only: an earlier migration's settle_usage side by side with the
 * current one, to compare them in the same run (absolute figures move between runs).
 */
const SIGNATURE = '(jsonb, timestamptz, boolean)';

/**
 * `file`'s settle_usage definition under the name `as`, in today's table and column names:
 * definitions written before drizzle/0020_enterprise_rename say group where the schema now says enterprise.
 */
export function settleUsageDefinition(file: string, as: string): string {
	const text = readFileSync(file, 'utf8');
	const start = text.search(/CREATE (OR REPLACE )?FUNCTION settle_usage\(/);
	const end = text.indexOf('$$;', text.indexOf('AS $$', start) + 5);
	if (start < 0 || end < 0) throw new Error(`no settle_usage definition in ${file}`);
	return text
		.slice(start, end + 3)
		.replace(/^CREATE (OR REPLACE )?FUNCTION settle_usage\(/, `CREATE OR REPLACE FUNCTION ${as}(`)
		.replace(/\bgroup_id\b/g, 'enterprise_id')
		.replace(/\bgroups\b/g, 'enterprises')
		.replace(/'group'/g, "'enterprise'");
}

/** Loads `file`'s settle_usage definition as settle_usage_baseline. */
export async function loadSettleBaseline(db: Db, file: string): Promise<void> {
	await db.execute(sql.raw(settleUsageDefinition(file, 'settle_usage_baseline')));
}

/** Swaps the names of settle_usage and settle_usage_baseline (callers on fresh connections see the other one). */
export async function swapSettleUsage(db: Db): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.execute(sql.raw(`alter function settle_usage${SIGNATURE} rename to settle_usage_swap`));
		await tx.execute(sql.raw(`alter function settle_usage_baseline${SIGNATURE} rename to settle_usage`));
		await tx.execute(sql.raw(`alter function settle_usage_swap${SIGNATURE} rename to settle_usage_baseline`));
	});
}
