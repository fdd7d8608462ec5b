// A stand-in for `node build` in tests/integration/supervisor.test.ts: the first run dies at once
// (as a crash would), later runs check DATABASE_URL is set and wait to be stopped.
import { existsSync, writeFileSync } from 'node:fs';

const marker = process.env.CRASHING_APP_MARKER;
if (!existsSync(marker)) {
	writeFileSync(marker, 'crashed once');
	process.exit(3);
}
if (!process.env.DATABASE_URL?.startsWith('postgres://')) process.exit(4);
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
