export { invitationIdInput as acceptInvitationInput } from '$lib/schemas/groups';
export { membershipOutput as acceptInvitationOutput } from '../output';
