import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';

export const adminCreditInput = z.void();
export { seedAdminCreditOutput as adminCreditOutput } from './seed-wire';
export const adminCreditMeta: OpenApiMeta = { openapi: { method: 'GET', path: '/groups/admin-credit', tags: ['enterprises'], summary: "The caller's balance, primary enterprise and every active enterprise's wallet" } };
