import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db/client';
import { servedOverHttps } from '../auth/session';
import { config } from '../config';

export type Role = 'user' | 'admin' | 'service';

export interface SessionUser {
	id: number;
	email: string;
	name: string;
	/**
	 * For a caller with an API key, inside a procedure this is the role the key acts with
	 * (`actingRole` in auth/api-keys.ts), never more than the owner's.
	 */
	role: Role;
	locale: 'zh-CN' | 'en';
}

export interface AuthedKey {
	id: number;
	/** As stored; only the known scopes the owner may hold count (auth/api-keys.ts). */
	scopes: string[];
}

export interface Context {
	db: Db;
	user: SessionUser | null;
	/** The hashed session id, when the caller came with a session cookie. */
	sessionId: string | null;
	/** The API key, when the caller came with a bearer key. */
	apiKey: AuthedKey | null;
	ip: string;
	/** Present for calls from a browser request, so auth procedures can set the session cookie. */
	cookies: Cookies | null;
	secureCookies: boolean;
	/** The request's id, for error answers and logs; absent for in-process calls outside a request. */
	requestId?: string;
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
		requestId: event.locals.requestId
	};
}
