import { z } from 'zod';
import { orderOutput } from '../../../recharge/api-shapes';

export const ordersOutput = z.array(orderOutput);
