import type { Db } from '$lib/server/db/client';
import type { AuthLocals } from '$lib/server/auth/identity';
import type { FetchedLog } from './routes/(app)/usage/filters';
import type { FetchedCharts } from './routes/(app)/dashboard/range';
import type { FetchedMembers } from './routes/(app)/enterprises/[id]/member-search';

declare global {
	namespace App {
		/** user, sessionId, apiKey: set by the auth handle (hooks.server.ts) from a session cookie or a bearer key. */
		interface Locals extends AuthLocals {
			db: Db;
			locale: 'zh-CN' | 'en';
			/** The client's `x-request-id` when it is a plain token, else a new UUID. */
			requestId: string;
		}
		/** Shallow routing (`replaceState`): what a page fetched in place for the URL it shows. */
		interface PageState {
			usageLog?: FetchedLog;
			dashboardCharts?: FetchedCharts;
			memberSearch?: FetchedMembers;
		}
		interface Error {
			message: string;
			code?: string;
			request_id?: string;
		}
	}
}

export {};
