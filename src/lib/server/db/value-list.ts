import { sql } from 'drizzle-orm';

/**
 * `column in ${idList(ids)}`: the ids as one jsonb parameter, so the statement text is the same for
 * any number of them (it can stay prepared: db/prepared.ts) and never outgrows the parameter limit.
 */
export const idList = (ids: number[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int)`;

/** `column in ${textList(values)}`: as idList, for text values. */
export const textList = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
