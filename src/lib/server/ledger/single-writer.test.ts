import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Ways code can write the books: SQL text and drizzle query builders. */
const WRITES = [
	/insert\s+into\s+"?ledger_entries/i,
	/update\s+"?ledger_entries/i,
	/update\s+"?wallets"?\s+(\w+\s+)?set\b[^;`]*\bbalance\b/i,
	/insert\s+into\s+"?credit_grants/i,
	/update\s+"?credit_grants/i,
	/\bpost_entries\s*\(/i,
	/\bsettle_usage\s*\(/i,
	/\.insert\(\s*(ledgerEntries|creditGrants)\s*\)/,
	/\.update\(\s*(ledgerEntries|creditGrants)\s*\)/,
	/\.update\(\s*wallets\s*\)[\s\S]{0,200}?\bbalance\s*:/
];

const LEDGER = path.join('src', 'lib', 'server', 'ledger');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return sourceFiles(full);
		return /\.(ts|js|svelte)$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
	});
}

function writesTheBooks(text: string): boolean {
	return WRITES.some((pattern) => pattern.test(text));
}

describe('one posting path', () => {
	it('recognises every way of writing entries, grants or a balance', () => {
		expect(writesTheBooks('await tx.execute(sql`insert into ledger_entries (wallet_id) values (1)`)')).toBe(true);
		expect(writesTheBooks('update wallets w set balance = w.balance + d.delta')).toBe(true);
		expect(writesTheBooks('db.update(wallets).set({ balance: 5 })')).toBe(true);
		expect(writesTheBooks('db.insert(ledgerEntries).values({})')).toBe(true);
		expect(writesTheBooks('update credit_grants set remaining = 0')).toBe(true);
		expect(writesTheBooks('select * from post_entries($1)')).toBe(true);
		expect(writesTheBooks('select * from settle_usage($1, $2, true)')).toBe(true);
		expect(writesTheBooks('update wallets set updated_at = now() where id = 1;')).toBe(false);
		expect(writesTheBooks('select balance from wallets where id = 1 for update')).toBe(false);
	});

	it('no code outside src/lib/server/ledger/ writes ledger_entries, credit_grants or a wallet balance', () => {
		const offenders = ['src', 'scripts', 'bench']
			.flatMap((dir) => sourceFiles(dir))
			.filter((file) => !file.startsWith(LEDGER + path.sep))
			.filter((file) => writesTheBooks(readFileSync(file, 'utf8')));
		expect(offenders).toEqual([]);
	});
});
