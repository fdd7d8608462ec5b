import { myEnterprises } from '../../../enterprises/overview';
import type { HandlerOptions } from '../../context';

/** "My enterprises": each active enterprise in payment order with whether it can pay now. */
export const mineHandler = ({ ctx }: HandlerOptions) => myEnterprises(ctx.db, ctx.user.id, new Date());
