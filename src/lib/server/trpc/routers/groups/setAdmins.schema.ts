export { setAdminsInput } from '$lib/schemas/groups';
export { groupOutput as setAdminsOutput } from './output';
