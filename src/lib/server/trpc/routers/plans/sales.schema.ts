import { z } from 'zod';
import { orderOutput } from '../../../recharge/api-shapes';

export const salesOutput = z.array(orderOutput.extend({ user_email: z.string() }));
