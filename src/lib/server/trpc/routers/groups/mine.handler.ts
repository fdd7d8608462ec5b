import { myEnterprises } from '../../../groups/overview';
import type { HandlerOptions } from '../../context';

/** "My enterprises": each active group in payment order with whether it can pay now. */
export const mineHandler = ({ ctx }: HandlerOptions) => myEnterprises(ctx.db, ctx.user.id, new Date());
