import { router } from '../../init';
import { capacityHandler } from './capacity.handler';
import { capacityInput, capacityOutput, capacityMeta } from './capacity.schema';
import { getHandler } from './get.handler';
import { getInput, getOutput, getMeta } from './get.schema';
import { logsHandler } from './logs.handler';
import { logsInput, logsOutput, logsMeta } from './logs.schema';
import { platformProcedure as platform } from './procedure';
import { statsHandler } from './stats.handler';
import { statsInput, statsOutput, statsMeta } from './stats.schema';
import { syncHandler } from './sync.handler';
import { syncInput, syncOutput, syncMeta } from './sync.schema';
import { tokenHandler } from './token.handler';
import { tokenInput, tokenOutput, tokenMeta } from './token.schema';
import { topupHandler } from './topup.handler';
import { topupInput, topupOutput, topupMeta } from './topup.schema';

/** The external-users API (`/api/user/external/...`): see ./procedure.ts. */
export const externalRouter = router({
	sync: platform.meta(syncMeta).input(syncInput).output(syncOutput).mutation(syncHandler),

	topup: platform.meta(topupMeta).input(topupInput).output(topupOutput).mutation(topupHandler),

	token: platform.meta(tokenMeta).input(tokenInput).output(tokenOutput).mutation(tokenHandler),

	get: platform.meta(getMeta).input(getInput).output(getOutput).query(getHandler),

	stats: platform.meta(statsMeta).input(statsInput).output(statsOutput).query(statsHandler),

	logs: platform.meta(logsMeta).input(logsInput).output(logsOutput).query(logsHandler),

	capacity: platform.meta(capacityMeta).input(capacityInput).output(capacityOutput).query(capacityHandler)
});
