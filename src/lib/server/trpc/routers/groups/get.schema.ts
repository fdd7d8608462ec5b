export { groupIdInput as getInput } from '$lib/schemas/groups';
export { groupOutput as getOutput } from './output';
