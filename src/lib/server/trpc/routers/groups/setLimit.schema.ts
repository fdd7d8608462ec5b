export { setLimitInput } from '$lib/schemas/groups';
export { membershipOutput as setLimitOutput } from './output';
