/** Who a request acts as: what the auth hook puts in `locals` and procedures read from their context. */

import type { locales, roles } from '../db/schema/auth';

export type Role = (typeof roles)[number];

export interface SessionUser {
	id: number;
	email: string;
	name: string;
	/**
	 * For a caller with an API key, inside a procedure this is the role the key acts with
	 * (`actingRole` in auth/api-keys.ts), never more than the owner's.
	 */
	role: Role;
	locale: (typeof locales)[number];
}

export interface AuthedKey {
	id: number;
	/** As stored; only the known scopes the owner may hold count (auth/api-keys.ts). */
	scopes: string[];
}

/** The part of `App.Locals` the auth hook fills (src/app.d.ts extends it). */
export interface AuthLocals {
	user: SessionUser | null;
	/** The hashed session id, when the caller came with a session cookie. */
	sessionId: string | null;
	/** The API key, when the caller came with a bearer key. */
	apiKey: AuthedKey | null;
}
