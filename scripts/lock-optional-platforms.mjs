// The npm registry reachable here does not serve every platform build of some packages
// (e.g. @rollup/rollup-darwin-arm64 answers 404), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds a lock
// entry for each optional platform package a locked package names but the lock lacks;
// npm ci skips an optional package that cannot be installed, as it would on any other OS.
// Run after `npm install`: node scripts/lock-optional-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, meta] of Object.entries(packages)) {
	for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
		const nested = `${location ? location + '/' : ''}node_modules/${name}`;
		if (packages[nested] || packages[`node_modules/${name}`]) continue;
		const version = String(range).replace(/^[\^~=]/, '');
		if (!/^\d+\.\d+\.\d+/.test(version)) continue;
		packages[`node_modules/${name}`] = { version, ...(meta.dev ? { dev: true } : {}), optional: true };
		added++;
	}
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(path, JSON.stringify(lock, null, '\t') + '\n');
console.log(`lock-optional-platforms: added ${added} optional platform entries`);
