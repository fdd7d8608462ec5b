export { setLimitInput } from '$lib/schemas/enterprises';
export { membershipOutput as setLimitOutput } from './output';
