export { enterpriseIdInput as getInput } from '$lib/schemas/enterprises';
export { enterpriseOutput as getOutput } from './output';
