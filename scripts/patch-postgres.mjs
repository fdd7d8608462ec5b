// Patches postgres.js (the driver) so a connection that closes under a transaction cannot take
// the process down. Run by `postinstall`; safe to run again.
//
// The defect (porsager/postgres#1154, #1208; fixes proposed in #1168, #1209, #1215, none released
// as of 3.4.9): when the server closes a connection during `sql.begin`, the failed transaction
// sends its ROLLBACK on that connection after `closed()` has set its socket to null. The write
// is deferred with setImmediate, so `socket.write` throws "Cannot read properties of null
// (reading 'write')" outside any promise: an uncaught exception. And when the connection closes
// with a write still deferred, the write buffer and timer survive the close, so every later
// reconnect of that connection waits out its connect timeout: the pool never recovers. And a
// server that ends a connection with an error (57P01 on shutdown or pg_terminate_backend) leaves
// that error and its query behind, so the first query after the reconnect fails with it.
//
// The patch: a query executed on a connection without a socket is rejected with
// CONNECTION_CLOSED (and the connection stays in its queue); `closed()` drops the deferred
// write and forgets the failed query and its error; a deferred write that finds no socket
// settles its queries instead of throwing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = '/* tally: closed-socket patch */';
const files = ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'].map((f) => new URL(`../node_modules/postgres/${f}`, import.meta.url));

const edits = [
	{
		find: '  function execute(q) {\n',
		replace: `  function execute(q) {\n    ${MARK}\n    if (!socket)\n      return (queryError(q, Errors.connection('CONNECTION_CLOSED', options)), true)\n\n`
	},
	{
		find: '  function nextWrite(fn) {\n',
		replace: `  function nextWrite(fn) {\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return true\n    }\n`
	},
	{
		find: '    remaining = 0\n    incomings = null\n    clearImmediate(nextWriteTimer)\n',
		replace: '    remaining = 0\n    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n'
	},
	{
		find: "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
		replace: "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n    query = errorResponse = null\n"
	}
];

let failed = false;
for (const file of files) {
	if (!existsSync(file)) continue;
	let text = readFileSync(file, 'utf8');
	if (text.includes(MARK)) continue;
	for (const { find, replace } of edits) {
		if (text.split(find).length !== 2) {
			console.error(`patch-postgres: ${file.pathname} no longer matches; check whether postgres.js fixed porsager/postgres#1208 and update scripts/patch-postgres.mjs`);
			failed = true;
			break;
		}
		text = text.replace(find, replace);
	}
	if (!failed) writeFileSync(file, text);
}
if (failed) process.exit(1);
