import { sql } from 'drizzle-orm';

/** `'a', 'b'` for a CHECK … in (…) built from the TypeScript list, so the two cannot drift apart. */
export const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
