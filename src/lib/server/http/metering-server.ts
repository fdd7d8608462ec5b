import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { validateApiKey } from '../auth/api-keys';
import { servedOverHttps } from '../auth/session';
import { config } from '../config';
import { appDatabase, databaseCircuit } from '../db/instance';
import { databaseUnavailableJson } from '../db/outage-response';
import { requestIdOf } from '../request-id';
import type { Context } from '../trpc/context';
import { logInternalError } from '../trpc/errors';
import { answerRestRequest, type RestAnswer, type RestRequest } from '../trpc/openapi-handler';
import { API_ROOT } from '../trpc/rest-mounts';
import { restRouteFor } from '../trpc/rest-routes';
import { bearerOf, invalidApiKeyResponse } from './bearer';
import { compressResponse, MIN_COMPRESS_BYTES, pickEncoding } from './compress';
import { NON_PAGE_SECURITY_HEADERS, withSecurityHeaders } from './security-headers';

/**
 * The metering routes (report usage, reserve, release) served straight from `node:http` by
 * scripts/server.mjs, off SvelteKit's page pipeline (whose per-request cost caps any route served
 * through it at a few thousand requests a second). The request goes through the same REST adapter,
 * procedures, zod schemas, authorization and error mapping as every other REST route, with the
 * same API-key check, request id, database-outage answer, compression and security headers as
 * hooks.server.ts gives them. Only the plain case is taken here: POST, a bearer key, a JSON body
 * of a declared length up to BODY_SIZE_LIMIT; anything else goes to SvelteKit unchanged.
 */
export const METERING_PROCEDURES = new Set(['usage.report', 'usage.authorize', 'usage.releaseHold']);

/** adapter-node's default request body limit; bigger bodies are left to SvelteKit, which applies it. */
const DEFAULT_BODY_SIZE_LIMIT = 512 * 1024;

function bodySizeLimit(): number {
	const raw = process.env.BODY_SIZE_LIMIT;
	if (!raw) return DEFAULT_BODY_SIZE_LIMIT;
	const m = /^(\d+)([KMG]?)$/i.exec(raw.trim());
	if (!m) return DEFAULT_BODY_SIZE_LIMIT;
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
	return Number(m[1]) * unit;
}

function header(req: IncomingMessage, name: string): string | null {
	const value = req.headers[name.toLowerCase()];
	if (value === undefined) return null;
	return Array.isArray(value) ? value.join(', ') : value;
}

/** Whether this server takes the request; false leaves it (body unread) to SvelteKit. */
export function isMeteringRequest(req: IncomingMessage): boolean {
	if (req.method !== 'POST' || !req.url?.startsWith(`${API_ROOT}/v1/usage`)) return false;
	const length = Number(req.headers['content-length']);
	if (!Number.isSafeInteger(length) || length > bodySizeLimit() || req.headers['transfer-encoding']) return false;
	if (!/^application\/json\b/i.test(req.headers['content-type']?.trim() ?? '')) return false;
	if (!bearerOf(header(req, 'authorization'))) return false;
	const path = new URL(req.url, 'http://metering').pathname.slice(API_ROOT.length);
	const found = restRouteFor('POST', path);
	return found.kind === 'found' && METERING_PROCEDURES.has(found.match.route.procedure);
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8')));
		req.on('error', reject);
	});
}

function clientAddress(req: IncomingMessage): string {
	const name = process.env.ADDRESS_HEADER?.toLowerCase();
	if (!name) return req.socket.remoteAddress ?? 'unknown';
	const value = header(req, name) ?? '';
	if (name !== 'x-forwarded-for') return value || 'unknown';
	const addresses = value.split(',');
	const depth = Number(process.env.XFF_DEPTH ?? 1);
	return addresses[addresses.length - depth]?.trim() || 'unknown';
}

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** The body and encoding headers compressResponse (http/compress.ts) gives a JSON answer of these bytes. */
async function encoded(request: RestRequest, bytes: Buffer): Promise<{ body: Buffer; headers: Record<string, string> }> {
	const encoding = pickEncoding(request.headers.get('accept-encoding'));
	if (!encoding) return { body: bytes, headers: { vary: 'Accept-Encoding' } };
	if (bytes.length < MIN_COMPRESS_BYTES) return { body: bytes, headers: {} };
	const body = encoding === 'br' ? await brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : await gzip(bytes);
	return { body, headers: { 'content-encoding': encoding, vary: 'Accept-Encoding' } };
}

/**
 * Writes a REST answer as the API route, hooks.server.ts (request id, compression, security
 * headers) and SvelteKit would, without building a web Response.
 */
async function sendAnswer(res: ServerResponse, request: RestRequest, requestId: string, answer: RestAnswer): Promise<void> {
	const { body, headers } = await encoded(request, Buffer.from(JSON.stringify(answer.body)));
	res.writeHead(answer.status, { 'content-type': 'application/json', 'x-request-id': requestId, ...headers, ...NON_PAGE_SECURITY_HEADERS });
	res.end(body);
}

/** The rare answers that are web Responses (401, 503, 500), through the same steps as hooks.server.ts. */
async function sendResponse(res: ServerResponse, request: RestRequest, response: Response): Promise<void> {
	const final = withSecurityHeaders(await compressResponse(request, response));
	const headers: Record<string, string> = {};
	final.headers.forEach((value, name) => (headers[name] = value));
	const body = final.body ? Buffer.from(await final.arrayBuffer()) : undefined;
	res.writeHead(final.status, headers);
	res.end(body);
}

function internalError(requestId: string): Response {
	const body = { message: 'Internal error', code: 'INTERNAL_SERVER_ERROR', request_id: requestId };
	return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': 'application/json', 'x-request-id': requestId } });
}

/** The answer, as hooks.server.ts and routes/api/v1/[...path] would give it: a REST answer, or a Response for the rare ones. */
async function answer(req: IncomingMessage, request: RestRequest, requestId: string): Promise<RestAnswer | Response> {
	if (databaseCircuit().open) return databaseUnavailableJson(requestId);
	try {
		const db = appDatabase().db;
		const valid = await validateApiKey(db, bearerOf(request.headers.get('authorization'))!);
		if (!valid) return invalidApiKeyResponse(requestId);
		const ctx: Context = {
			db,
			user: valid.user,
			sessionId: null,
			apiKey: valid.key,
			ip: clientAddress(req),
			cookies: null,
			secureCookies: servedOverHttps(request, config().ORIGIN),
			requestId
		};
		const answered = await answerRestRequest(request, () => ctx);
		return answered.status === 503 ? databaseUnavailableJson(requestId) : answered;
	} catch (err) {
		if (databaseCircuit().report(err)) return databaseUnavailableJson(requestId);
		logInternalError(err, { requestId, path: req.url });
		return internalError(requestId);
	}
}

/** Serves a request isMeteringRequest accepted. */
export async function serveMetering(req: IncomingMessage, res: ServerResponse): Promise<void> {
	const request: RestRequest = {
		method: 'POST',
		url: `http://metering${req.url}`,
		headers: { get: (name) => header(req, name) },
		text: () => readBody(req)
	};
	const requestId = requestIdOf(request);
	try {
		const answered = await answer(req, request, requestId);
		if (answered instanceof Response) await sendResponse(res, request, answered);
		else await sendAnswer(res, request, requestId, answered);
	} catch (err) {
		logInternalError(err, { requestId, path: req.url });
		if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': requestId });
		res.end();
	}
}

/** scripts/server.mjs finds the metering server here once the app has booted (hooks.server.ts `init`). */
export const METERING_SERVER = Symbol.for('tally.metering-server');

export interface MeteringServer {
	accepts(req: IncomingMessage): boolean;
	serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function registerMeteringServer(): void {
	const server: MeteringServer = { accepts: isMeteringRequest, serve: serveMetering };
	(globalThis as Record<symbol, unknown>)[METERING_SERVER] = server;
}
