export { setSuspendedInput } from '$lib/schemas/enterprises';
export { membershipOutput as setSuspendedOutput } from './output';
