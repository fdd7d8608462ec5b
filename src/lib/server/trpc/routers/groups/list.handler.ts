import { administersEveryGroup } from '../../../groups/access';
import { groupsAdministeredBy, listGroups } from '../../../groups/groups';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';

/** Platform admins see every group; everyone else the groups they administer. */
export async function listHandler({ ctx }: HandlerOptions) {
	const only = administersEveryGroup(ctx.user) ? undefined : await groupsAdministeredBy(ctx.db, ctx.user.id);
	return (await listGroups(ctx.db, only)).map(snakeKeys);
}
