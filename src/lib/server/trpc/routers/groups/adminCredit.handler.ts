import { adminCredit } from '../../../groups/overview';
import type { HandlerOptions } from '../../context';

export const adminCreditHandler = ({ ctx }: HandlerOptions) => adminCredit(ctx.db, ctx.user.id);
