import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
	headers: http.IncomingHttpHeaders;
	body: string;
}

/**
 * A real HTTP server standing in for a user's webhook endpoint; `answers` are the statuses it gives,
 * in turn (then 200), to requests whose URL carries `retry=` only, so other tests' deliveries never take them.
 */
export async function webhookReceiver() {
	const received: ReceivedWebhook[] = [];
	const answers: number[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.statusCode = (req.url ?? '').includes('retry=') ? (answers.shift() ?? 200) : 200;
			res.end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}/hook`, received, answers, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface ReceivedMail {
	from: string;
	to: string[];
	data: string;
}

/** A minimal SMTP server (no TLS, no auth) that keeps every message it is given. */
export async function smtpSink() {
	const messages: ReceivedMail[] = [];
	const server = net.createServer((socket) => {
		let buffer = '';
		let inData = false;
		let mail: ReceivedMail = { from: '', to: [], data: '' };
		const reply = (line: string) => socket.write(line + '\r\n');
		reply('220 sink.test ESMTP');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					mail.data = buffer.slice(0, end);
					buffer = buffer.slice(end + 5);
					inData = false;
					messages.push(mail);
					mail = { from: '', to: [], data: '' };
					reply('250 queued');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.slice(0, eol);
				buffer = buffer.slice(eol + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'MAIL') mail.from = line.slice(10).trim();
				if (verb === 'RCPT') mail.to.push(line.slice(8).trim());
				if (verb === 'DATA') inData = true;
				reply(verb === 'DATA' ? '354 end with .' : verb === 'QUIT' ? '221 bye' : '250 ok');
				if (verb === 'QUIT') socket.end();
			}
		});
		socket.on('error', () => {});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as AddressInfo;
	return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}
