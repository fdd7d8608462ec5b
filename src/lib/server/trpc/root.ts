import { adminRouter } from './routers/admin';
import { authRouter } from './routers/auth';
import { dashboardRouter } from './routers/dashboard';
import { groupsRouter } from './routers/groups';
import { keysRouter } from './routers/keys';
import { rechargeRouter } from './routers/recharge';
import { usageRouter } from './routers/usage';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	admin: adminRouter,
	auth: authRouter,
	dashboard: dashboardRouter,
	groups: groupsRouter,
	keys: keysRouter,
	recharge: rechargeRouter,
	usage: usageRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
