export { invitationIdInput as declineInvitationInput } from '$lib/schemas/groups';
export { okOutput as declineInvitationOutput } from '../output';
