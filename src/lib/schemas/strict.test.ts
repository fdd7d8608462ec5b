import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		if (statSync(file).isDirectory()) return sources(file);
		return /\.(ts|svelte)$/.test(name) && !name.endsWith('.test.ts') ? [file] : [];
	});
}

describe('input schemas are strict', () => {
	it('no schema coerces or preprocesses (text is turned into JSON types by fromText, at the boundary)', () => {
		// Environment variables are text by nature; config.ts reads them with coercion on purpose.
		const offenders = sources('src')
			.filter((file) => !file.endsWith(path.join('server', 'config.ts')))
			.filter((file) => /z\.coerce\.|z\.preprocess\(|z\.stringbool\(/.test(readFileSync(file, 'utf8')));
		expect(offenders).toEqual([]);
	});
});
