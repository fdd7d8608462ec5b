import { z } from 'zod';
import { enterpriseOutput } from './output';

export const listInput = z.void();
export const listOutput = z.array(enterpriseOutput);
