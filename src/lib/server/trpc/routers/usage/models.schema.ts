import { z } from 'zod';
import { modelOutput } from '../../../usage/model-shapes';

export const modelsOutput = z.array(modelOutput);
