export { setAdminsInput } from '$lib/schemas/enterprises';
export { enterpriseOutput as setAdminsOutput } from './output';
