import { administersEveryEnterprise } from '../../../enterprises/access';
import { enterprisesAdministeredBy, listEnterprises } from '../../../enterprises/enterprises';
import { snakeKeys } from '../../../snake-keys';
import type { HandlerOptions } from '../../context';

/** Platform admins see every enterprise; everyone else the enterprises they administer. */
export async function listHandler({ ctx }: HandlerOptions) {
	const only = administersEveryEnterprise(ctx.user) ? undefined : await enterprisesAdministeredBy(ctx.db, ctx.user.id);
	return (await listEnterprises(ctx.db, only)).map(snakeKeys);
}
