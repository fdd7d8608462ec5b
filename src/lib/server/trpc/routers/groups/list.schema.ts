import { z } from 'zod';
import { groupOutput } from './output';

export const listInput = z.void();
export const listOutput = z.array(groupOutput);
