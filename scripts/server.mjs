// The app's HTTP server (adapter-node's documented custom-server pattern): a plain node:http
// server that hands the metering routes (report usage, reserve, release; src/lib/server/http/
// metering-server.ts) to the app's own REST adapter directly, and everything else to SvelteKit
// (build/handler.js). Importing the handler boots the app (hooks.server.ts `init`), which registers
// the metering server. Env as adapter-node's `node build`: PORT (3000), HOST (0.0.0.0),
// SHUTDOWN_TIMEOUT (30 s), KEEP_ALIVE_TIMEOUT, HEADERS_TIMEOUT, ORIGIN, BODY_SIZE_LIMIT, …;
// METERING_SERVER=0 sends the metering routes through SvelteKit too.
import http from 'node:http';
import process from 'node:process';

const build = process.env.TALLY_BUILD_DIR ?? new URL('../build/', import.meta.url).href;
const { handler } = await import(new URL('handler.js', build.endsWith('/') ? build : `${build}/`).href);
const metering = process.env.METERING_SERVER === '0' ? undefined : globalThis[Symbol.for('tally.metering-server')];

const host = process.env.HOST ?? '0.0.0.0';
const port = Number(process.env.PORT ?? 3000);
const shutdownTimeout = Number(process.env.SHUTDOWN_TIMEOUT ?? 30);

const notFound = (req, res) => {
	res.statusCode = 404;
	res.end('Not found');
};

const server = http.createServer((req, res) => {
	if (metering?.accepts(req)) return void metering.serve(req, res);
	handler(req, res, () => notFound(req, res));
});
if (process.env.KEEP_ALIVE_TIMEOUT) server.keepAliveTimeout = Number(process.env.KEEP_ALIVE_TIMEOUT) * 1000;
if (process.env.HEADERS_TIMEOUT) server.headersTimeout = Number(process.env.HEADERS_TIMEOUT) * 1000;

server.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));

let stopping = false;
function shutDown(reason) {
	if (stopping) return;
	stopping = true;
	server.closeIdleConnections();
	server.close(() => process.emit('sveltekit:shutdown', reason));
	setTimeout(() => server.closeAllConnections(), shutdownTimeout * 1000).unref();
}
// Connections kept alive close as soon as their request is answered.
server.on('request', (req) => req.on('close', () => stopping && server.closeIdleConnections()));
process.on('SIGTERM', () => shutDown('SIGTERM'));
process.on('SIGINT', () => shutDown('SIGINT'));
