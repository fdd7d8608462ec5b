import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

const COMPRESSIBLE = /^(text\/(html|plain|css|csv|javascript|xml)|application\/(json|javascript|xml|[\w.+-]+\+json|[\w.+-]+\+xml)|image\/svg\+xml)\b/i;
/** Below this, the gzip header and the CPU cost outweigh the saving. */
export const MIN_COMPRESS_BYTES = 1024;

type Encoding = 'br' | 'gzip';

/** The encoding to answer with, from Accept-Encoding: brotli, then gzip, honouring q=0. */
export function pickEncoding(acceptEncoding: string | null): Encoding | null {
	if (!acceptEncoding) return null;
	const accepted = new Map<string, number>();
	for (const part of acceptEncoding.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		accepted.set(name, q ? Number(q.slice(2)) || 0 : 1);
	}
	const quality = (name: Encoding) => accepted.get(name) ?? accepted.get('*') ?? 0;
	if (quality('br') > 0) return 'br';
	if (quality('gzip') > 0) return 'gzip';
	return null;
}

function addVary(headers: Headers): void {
	const vary = headers.get('vary');
	if (!vary) headers.set('vary', 'Accept-Encoding');
	else if (!/accept-encoding|\*/i.test(vary)) headers.set('vary', `${vary}, Accept-Encoding`);
}

function compressor(encoding: Encoding) {
	// Flushing every chunk keeps streamed pages (deferred data) arriving as they are rendered.
	return encoding === 'br'
		? createBrotliCompress({ flush: constants.BROTLI_OPERATION_FLUSH, params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
		: createGzip({ flush: constants.Z_SYNC_FLUSH });
}

/**
 * Compresses text answers (pages, JSON, CSV) of at least MIN_COMPRESS_BYTES when the client
 * accepts it; adapter-node compresses only the static files. Streams: never buffers more than the
 * first kilobyte.
 */
export async function compressResponse(request: { method: string; headers: { get(name: string): string | null } }, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (request.method === 'HEAD' || !response.body || [204, 206, 304].includes(response.status)) return response;
	if (!COMPRESSIBLE.test(type) || response.headers.has('content-encoding')) return response;
	if (/no-transform/i.test(response.headers.get('cache-control') ?? '')) return response;
	const encoding = pickEncoding(request.headers.get('accept-encoding'));
	const declared = response.headers.get('content-length');
	if (declared !== null && Number(declared) < MIN_COMPRESS_BYTES) return response;
	if (!encoding) return varied(response);

	const reader = response.body.getReader();
	const head: Uint8Array[] = [];
	let size = 0;
	let ended = false;
	while (size < MIN_COMPRESS_BYTES) {
		const chunk = await reader.read();
		if (chunk.done) {
			ended = true;
			break;
		}
		head.push(chunk.value);
		size += chunk.value.byteLength;
	}
	const headers = new Headers(response.headers);
	if (ended && size < MIN_COMPRESS_BYTES) {
		return new Response(Buffer.concat(head), { status: response.status, statusText: response.statusText, headers });
	}
	const source = new ReadableStream<Uint8Array>({
		start(controller) {
			for (const chunk of head) controller.enqueue(chunk);
			if (ended) controller.close();
		},
		async pull(controller) {
			if (ended) return;
			const chunk = await reader.read();
			if (chunk.done) controller.close();
			else controller.enqueue(chunk.value);
		},
		cancel(reason) {
			return reader.cancel(reason);
		}
	});
	const zipped = compressor(encoding);
	pipeline(Readable.fromWeb(source as NodeReadableStream<Uint8Array>), zipped, () => {
		/* an aborted download ends both streams; nothing to report */
	});
	headers.delete('content-length');
	headers.set('content-encoding', encoding);
	addVary(headers);
	const body = Readable.toWeb(zipped) as unknown as ReadableStream<Uint8Array>;
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function varied(response: Response): Response {
	try {
		addVary(response.headers);
		return response;
	} catch {
		const copy = new Response(response.body, response);
		addVary(copy.headers);
		return copy;
	}
}
