import { z } from 'zod';
import { membersInput } from '$lib/schemas/enterprises';
import type { LoadOutputs, RouterOutputs } from '$lib/trpc-client';

/** Most matches the page shows for a search; a narrower search finds the rest. */
export const MEMBER_SEARCH_LIMIT = 100;

/** The `enterprises.members` input for the search box's text (the load and the page's in-place search read it alike). */
export function membersQuery(enterpriseId: number, q: string) {
	const text = q.trim();
	return membersInput.safeParse(text ? { enterprise_id: enterpriseId, q: text, limit: MEMBER_SEARCH_LIMIT } : { enterprise_id: enterpriseId });
}

/** The first message code a refused search text has. */
export function searchError(error: z.ZodError<z.input<typeof membersInput>>): string {
	return z.flattenError(error).fieldErrors.q?.[0] ?? 'invalid_input';
}

/** A search the browser client answered, kept in the history entry's state (shallow routing). */
export interface FetchedMembers {
	q: string;
	error: string | null;
	members: RouterOutputs['enterprises']['members'] | LoadOutputs['enterprises']['members'];
}
