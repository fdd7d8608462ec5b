import { z } from 'zod';
import { grantOutput } from '../../../plans/api-shapes';

export const grantListOutput = z.array(grantOutput);
