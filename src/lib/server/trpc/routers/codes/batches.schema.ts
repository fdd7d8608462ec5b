import { z } from 'zod';
import { batchOutput } from '../../../codes/api-shapes';

export const batchListOutput = z.array(batchOutput);
