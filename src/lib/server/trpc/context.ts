import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db/client';
import { servedOverHttps } from '../auth/session';
import { config } from '../config';
import type { AuthLocals, SessionUser } from '../auth/identity';
import { viewerTimeZone } from '../time-zone';

export interface Context extends AuthLocals {
	db: Db;
	ip: string;
	/** Present for calls from a browser request, so auth procedures can set the session cookie. */
	cookies: Cookies | null;
	secureCookies: boolean;
	/** The request's id, for error answers and logs; absent for in-process calls outside a request. */
	requestId?: string;
	/** IANA zone the caller's calendar days are counted in (dashboard charts); BILLING_TIMEZONE when absent. */
	timeZone?: string;
}

/** The context a signed-in builder (identity, authed, scoped, admin procedures) hands its resolver. */
export type SignedInContext = Context & { user: SessionUser };

/** What a procedure's handler (`routers/<area>/<procedure>.handler.ts`) is called with. */
export interface HandlerOptions<Input = void> {
	ctx: SignedInContext;
	input: Input;
}

export interface ContextSource {
	locals: App.Locals;
	cookies: Cookies;
	getClientAddress(): string;
	url: URL;
	request: Request;
}

export function createContext(event: ContextSource): Context {
	let ip = 'unknown';
	try {
		ip = event.getClientAddress();
	} catch {
		/* no client address during prerender */
	}
	return {
		db: event.locals.db,
		user: event.locals.user,
		sessionId: event.locals.sessionId,
		apiKey: event.locals.apiKey,
		ip,
		cookies: event.cookies,
		secureCookies: servedOverHttps(event.request, config().ORIGIN),
		requestId: event.locals.requestId,
		timeZone: viewerTimeZone(event.cookies)
	};
}
