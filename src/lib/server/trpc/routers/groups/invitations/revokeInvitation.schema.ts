export { revokeInvitationInput } from '$lib/schemas/groups';
export { okOutput as revokeInvitationOutput } from '../output';
