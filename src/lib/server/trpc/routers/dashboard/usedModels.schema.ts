import { z } from 'zod';

export { userIdInput as usedModelsInput } from '$lib/schemas/dashboard';
export const usedModelsOutput = z.array(z.string());
