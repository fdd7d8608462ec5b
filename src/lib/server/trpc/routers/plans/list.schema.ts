import { z } from 'zod';
import { planOutput } from '../../../plans/api-shapes';

export const planListOutput = z.array(planOutput);
