import type { Db } from '$lib/server/db/client';
import type { AuthedKey, SessionUser } from '$lib/server/trpc/context';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			user: SessionUser | null;
			sessionId: string | null;
			apiKey: AuthedKey | null;
			locale: 'zh-CN' | 'en';
			/** The client's `x-request-id` when it is a plain token, else a new UUID. */
			requestId: string;
		}
		interface Error {
			message: string;
			code?: string;
			request_id?: string;
		}
	}
}

export {};
