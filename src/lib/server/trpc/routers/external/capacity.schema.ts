import { externalMeta } from './procedure';
import { z } from 'zod';
import { capacityOut } from '../capacity';

export { externalUserInput as capacityInput } from '$lib/schemas/external';
export const capacityOutput = capacityOut.extend({ external_user_id: z.string() });
export const capacityMeta = externalMeta('GET', '/{external_user_id}/balance-capacity', 'What the available balance buys per priced model, and how many days it lasts at the last 7 days’ pace');
