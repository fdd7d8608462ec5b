export { invitationIdInput as acceptInvitationInput } from '$lib/schemas/enterprises';
export { membershipOutput as acceptInvitationOutput } from '../output';
