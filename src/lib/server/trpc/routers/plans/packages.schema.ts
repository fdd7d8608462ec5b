import { z } from 'zod';
import { packageOutput } from '../../../plans/api-shapes';

export const packageListOutput = z.array(packageOutput);
