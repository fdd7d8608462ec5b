import { sql } from 'drizzle-orm';

/**
 * `column = any(${idArray(ids)})`: the ids as one jsonb parameter, so the statement text is the same
 * for any number of them (it can stay prepared: db/prepared.ts) and never outgrows the parameter limit.
 * An array rather than `in (select …)`: a generic plan sizes that set at 100 rows and joined it with
 * the whole table (every wallet, grant, membership, hold) until the table held thousands of rows;
 * `= any(array)` is looked up by key in the column's index however large the table
 * (tests/integration/metering-plans.test.ts).
 */
export const idArray = (ids: number[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int)`;

/** `column = any(${textArray(values)})`: as idArray, for text values. */
export const textArray = (values: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
