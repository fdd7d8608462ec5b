import { z } from 'zod';
import { batchOutput } from '../../../codes/api-shapes';

export const createdBatchOutput = z.object({ batch: batchOutput, codes: z.array(z.string()), csv: z.string() });
