import { z } from 'zod';
import { personOutput } from './output';

export { findUsersInput } from '$lib/schemas/dashboard';
export const findUsersOutput = z.array(personOutput);
