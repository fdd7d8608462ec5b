import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { areas } from '$lib/server/i18n';
import { translateErrorIn, translateIn, type Area } from './index';

const root = resolve(__dirname, '../../..');
const messagesDir = join(root, 'src/lib/i18n/messages');
const isAdminArea = (name: string) => name.startsWith('admin-');

describe('message areas', () => {
	it('are every file of messages, each naming the same keys in both languages', () => {
		const files = readdirSync(messagesDir).map((f) => f.replace(/\.ts$/, ''));
		expect(Object.keys(areas).sort()).toEqual(files.sort());
		for (const [name, area] of Object.entries(areas)) expect(Object.keys(area.en).sort(), name).toEqual(Object.keys(area['zh-CN']).sort());
	});

	it('name each key once, so a key means the same text whichever areas a page loads', () => {
		const owner = new Map<string, string>();
		for (const [name, area] of Object.entries(areas))
			for (const key of Object.keys(area['zh-CN'])) {
				expect(owner.get(key), `${key} in ${name}`).toBeUndefined();
				owner.set(key, name);
			}
	});

	it('keep the admin consoleʼs texts (admin.*, codes.*, rebates.*) in admin-* areas, and every error text in errors (any form, FormField too, may show any)', () => {
		for (const [name, area] of Object.entries(areas))
			for (const key of Object.keys(area['zh-CN'])) {
				if (/^(admin|codes|rebates)\./.test(key)) expect(isAdminArea(name), `${key} in ${name}`).toBe(true);
				if (key.startsWith('error.')) expect(name, key).toBe('errors');
			}
	});
});

describe('translateIn', () => {
	const area = { 'zh-CN': { 'x.hello': '你好，{name}', 'x.only': '仅中文' }, en: { 'x.hello': 'Hello, {name}', 'x.only': '' } } as const;
	const enMissing = { 'zh-CN': { 'y.zh': '中文' }, en: {} } as const satisfies Area;

	it('fills placeholders and leaves unknown ones as written', () => {
		expect(translateIn([area], 'en', 'x.hello', { name: 'Ann' })).toBe('Hello, Ann');
		expect(translateIn([area], 'zh-CN', 'x.hello')).toBe('你好，{name}');
	});

	it('falls back to Chinese, then to the key, when a text is missing', () => {
		expect(translateIn([enMissing], 'en', 'y.zh')).toBe('中文');
		expect(translateIn([enMissing], 'en', 'y.unknown' as 'y.zh')).toBe('y.unknown');
	});

	it('looks a key up in every area given', () => {
		expect(translateIn([enMissing, area], 'en', 'x.hello', { name: 'Bo' })).toBe('Hello, Bo');
	});

	it('translates server error codes with their argument, and leaves other messages alone', () => {
		expect(translateErrorIn([areas.errors], 'en', 'too_many_attempts:30')).toBe(translateIn([areas.errors], 'en', 'error.too_many_attempts', { seconds: 30 }));
		expect(translateErrorIn([areas.errors], 'en', 'too_many_attempts:30')).toContain('30');
		expect(translateErrorIn([areas.errors], 'en', 'no such code')).toBe('no such code');
	});
});

/** Static imports (type-only ones are erased, so they are skipped) of a module, resolved to files under src. */
function importsOf(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const specifiers = [...source.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].filter((m) => !m[1]).map((m) => m[2]);
	const resolved: string[] = [];
	for (const specifier of specifiers) {
		const base = specifier.startsWith('$lib/') ? join(root, 'src/lib', specifier.slice(5)) : specifier.startsWith('.') ? resolve(dirname(file), specifier) : null;
		if (!base) continue;
		const found = ['', '.ts', '.js', '/index.ts'].map((ext) => base + ext).find((candidate) => existsSync(candidate) && !candidate.endsWith('/'));
		if (found && !found.endsWith('$types')) resolved.push(found);
	}
	return resolved;
}

/** The modules a module reaches through its static imports, itself included. */
function modulesReached(entry: string): Set<string> {
	const seen = new Set<string>();
	const queue = [entry];
	while (queue.length) {
		const file = queue.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		queue.push(...importsOf(file));
	}
	return seen;
}

/** The message areas a module reaches through its static imports. */
function areasReached(entry: string): Set<string> {
	const inMessages = [...modulesReached(entry)].filter((file) => file.startsWith(messagesDir + '/'));
	return new Set(inMessages.map((file) => file.slice(messagesDir.length + 1).replace(/\.ts$/, '')));
}

function clientEntries(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return clientEntries(path);
		return /^\+(page|layout|error)(@[^.]*)?\.svelte$|^\+(page|layout)\.ts$/.test(entry.name) ? [path] : [];
	});
}

describe('the messages a page loads', () => {
	const routes = join(root, 'src/routes');
	const entries = clientEntries(routes);
	const isAdminRoute = (file: string) => relative(routes, file).startsWith('(app)/admin/');

	it('are the areas its components name, with common and errors everywhere', () => {
		const page = (path: string) => areasReached(join(routes, path));
		expect([...page('(app)/recharge/+page.svelte')].sort()).toEqual(['common', 'errors', 'plans', 'prices', 'recharge', 'redeem']);
		expect([...page('(app)/dashboard/+page.svelte')].sort()).toEqual(['common', 'errors', 'external', 'plans', 'usage']);
		expect(page('(app)/admin/recharge/+page.svelte')).toContain('admin-recharge');
		expect(page('+layout.svelte')).toEqual(new Set(['common', 'errors']));
	});

	it('never include an admin area outside the admin console', () => {
		expect(entries.filter(isAdminRoute).length).toBeGreaterThan(5);
		for (const entry of entries.filter((e) => !isAdminRoute(e))) {
			const admin = [...areasReached(entry)].filter(isAdminArea);
			expect(admin, relative(root, entry)).toEqual([]);
		}
	});

	it('never include the server catalogue of every area', () => {
		const catalogue = join(root, 'src/lib/server/i18n.ts');
		for (const entry of entries) expect(modulesReached(entry).has(catalogue), relative(root, entry)).toBe(false);
	});
});
