import { adminRouter } from './routers/admin';
import { authRouter } from './routers/auth';
import { capacityRouter } from './routers/capacity';
import { codesRouter } from './routers/codes';
import { dashboardRouter } from './routers/dashboard';
import { externalRouter } from './routers/external';
import { groupsRouter } from './routers/groups';
import { keysRouter } from './routers/keys';
import { rebatesRouter } from './routers/rebates';
import { rechargeRouter } from './routers/recharge';
import { usageRouter } from './routers/usage';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	admin: adminRouter,
	auth: authRouter,
	capacity: capacityRouter,
	codes: codesRouter,
	dashboard: dashboardRouter,
	external: externalRouter,
	groups: groupsRouter,
	keys: keysRouter,
	rebates: rebatesRouter,
	recharge: rechargeRouter,
	usage: usageRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
