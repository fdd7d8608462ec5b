export { invitationIdInput as declineInvitationInput } from '$lib/schemas/enterprises';
export { okOutput as declineInvitationOutput } from '../output';
