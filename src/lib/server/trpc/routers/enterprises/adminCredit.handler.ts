import { adminCredit } from '../../../enterprises/overview';
import type { HandlerOptions } from '../../context';
import { toSeedAdminCredit } from './seed-wire';

export const adminCreditHandler = async ({ ctx }: HandlerOptions) => toSeedAdminCredit(await adminCredit(ctx.db, ctx.user.id));
