import { grantOutput } from '../../../plans/api-shapes';
import { z } from 'zod';

export const grantGivenOutput = grantOutput.extend({ duplicate: z.boolean() });
