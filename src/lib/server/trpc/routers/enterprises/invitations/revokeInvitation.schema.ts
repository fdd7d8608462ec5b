export { revokeInvitationInput } from '$lib/schemas/enterprises';
export { okOutput as revokeInvitationOutput } from '../output';
