export { setSuspendedInput } from '$lib/schemas/groups';
export { membershipOutput as setSuspendedOutput } from './output';
