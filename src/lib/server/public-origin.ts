import { servedOverHttps } from './auth/session';
import { config } from './config';

/** Where clients reach this instance: ORIGIN when set, else the scheme and Host this request really came in on. */
export function publicOrigin(request: Request, url: URL): string {
	const origin = config().ORIGIN;
	if (origin) return origin.replace(/\/$/, '');
	return `${servedOverHttps(request, undefined) ? 'https' : 'http'}://${url.host}`;
}
