import { authedProcedure, router, scopedProcedure } from '../../init';
import { addUserHandler } from './addUser.handler';
import { addUserInput, addUserOutput, addUserMeta } from './addUser.schema';
import { adminCreditHandler } from './adminCredit.handler';
import { adminCreditInput, adminCreditOutput, adminCreditMeta } from './adminCredit.schema';
import { createHandler } from './create.handler';
import { createInput, createOutput, createMeta } from './create.schema';
import { getHandler } from './get.handler';
import { getInput, getOutput } from './get.schema';
import { listHandler } from './list.handler';
import { listInput, listOutput } from './list.schema';
import { membersHandler } from './members.handler';
import { membersInput, membersOutput } from './members.schema';
import { mineHandler } from './mine.handler';
import { mineInput, mineOutput } from './mine.schema';
import { removeMembersHandler } from './removeMembers.handler';
import { removeMembersInput, removeMembersOutput } from './removeMembers.schema';
import { removeUserHandler } from './removeUser.handler';
import { removeUserInput, removeUserOutput, removeUserMeta } from './removeUser.schema';
import { reorderHandler } from './reorder.handler';
import { reorderInput, reorderOutput } from './reorder.schema';
import { reportHandler } from './report.handler';
import { reportInput, reportOutput } from './report.schema';
import { setAdminsHandler } from './setAdmins.handler';
import { setAdminsInput, setAdminsOutput } from './setAdmins.schema';
import { setLimitHandler } from './setLimit.handler';
import { setLimitInput, setLimitOutput } from './setLimit.schema';
import { setSuspendedHandler } from './setSuspended.handler';
import { setSuspendedInput, setSuspendedOutput } from './setSuspended.schema';
import { userEnterprisesHandler } from './userEnterprises.handler';
import { userEnterprisesInput, userEnterprisesOutput, userEnterprisesMeta } from './userEnterprises.schema';
import { walletHistoryHandler } from './walletHistory.handler';
import { walletHistoryInput, walletHistoryOutput } from './walletHistory.schema';
import { acceptInvitationHandler } from './invitations/acceptInvitation.handler';
import { acceptInvitationInput, acceptInvitationOutput } from './invitations/acceptInvitation.schema';
import { declineInvitationHandler } from './invitations/declineInvitation.handler';
import { declineInvitationInput, declineInvitationOutput } from './invitations/declineInvitation.schema';
import { invitationsHandler } from './invitations/invitations.handler';
import { invitationsInput, invitationsOutput } from './invitations/invitations.schema';
import { inviteHandler } from './invitations/invite.handler';
import { inviteInput, inviteOutput } from './invitations/invite.schema';
import { myInvitationsHandler } from './invitations/myInvitations.handler';
import { myInvitationsInput, myInvitationsOutput } from './invitations/myInvitations.schema';
import { revokeInvitationHandler } from './invitations/revokeInvitation.handler';
import { revokeInvitationInput, revokeInvitationOutput } from './invitations/revokeInvitation.schema';

/** Enterprises: their admins, members, limits, invitations (./invitations), reports and wallet. */
export const enterprisesRouter = router({
	create: scopedProcedure('enterprises:manage', 'admin').meta(createMeta).input(createInput).output(createOutput).mutation(createHandler),

	setAdmins: scopedProcedure('enterprises:manage', 'admin').input(setAdminsInput).output(setAdminsOutput).mutation(setAdminsHandler),

	list: scopedProcedure('enterprises:manage').input(listInput).output(listOutput).query(listHandler),

	get: scopedProcedure('enterprises:manage').input(getInput).output(getOutput).query(getHandler),

	addUser: scopedProcedure('enterprises:manage', 'admin').meta(addUserMeta).input(addUserInput).output(addUserOutput).mutation(addUserHandler),

	removeUser: scopedProcedure('enterprises:manage').meta(removeUserMeta).input(removeUserInput).output(removeUserOutput).mutation(removeUserHandler),

	userEnterprises: scopedProcedure('usage:read').meta(userEnterprisesMeta).input(userEnterprisesInput).output(userEnterprisesOutput).query(userEnterprisesHandler),

	adminCredit: scopedProcedure('usage:read').meta(adminCreditMeta).input(adminCreditInput).output(adminCreditOutput).query(adminCreditHandler),

	mine: scopedProcedure('usage:read').input(mineInput).output(mineOutput).query(mineHandler),

	setSuspended: authedProcedure.input(setSuspendedInput).output(setSuspendedOutput).mutation(setSuspendedHandler),

	reorder: authedProcedure.input(reorderInput).output(reorderOutput).mutation(reorderHandler),

	members: scopedProcedure('enterprises:manage').input(membersInput).output(membersOutput).query(membersHandler),

	invite: authedProcedure.input(inviteInput).output(inviteOutput).mutation(inviteHandler),

	invitations: authedProcedure.input(invitationsInput).output(invitationsOutput).query(invitationsHandler),

	revokeInvitation: authedProcedure.input(revokeInvitationInput).output(revokeInvitationOutput).mutation(revokeInvitationHandler),

	myInvitations: authedProcedure.input(myInvitationsInput).output(myInvitationsOutput).query(myInvitationsHandler),

	acceptInvitation: authedProcedure.input(acceptInvitationInput).output(acceptInvitationOutput).mutation(acceptInvitationHandler),

	declineInvitation: authedProcedure.input(declineInvitationInput).output(declineInvitationOutput).mutation(declineInvitationHandler),

	removeMembers: scopedProcedure('enterprises:manage').input(removeMembersInput).output(removeMembersOutput).mutation(removeMembersHandler),

	setLimit: scopedProcedure('enterprises:manage').input(setLimitInput).output(setLimitOutput).mutation(setLimitHandler),

	report: scopedProcedure('enterprises:manage').input(reportInput).output(reportOutput).query(reportHandler),

	walletHistory: scopedProcedure('enterprises:manage').input(walletHistoryInput).output(walletHistoryOutput).query(walletHistoryHandler)
});
