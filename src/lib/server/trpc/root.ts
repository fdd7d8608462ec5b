import { adminRouter } from './routers/admin/_router';
import { alertsRouter } from './routers/alerts';
import { authRouter } from './routers/auth';
import { capacityRouter } from './routers/capacity';
import { codesRouter } from './routers/codes/_router';
import { dashboardRouter } from './routers/dashboard/_router';
import { externalRouter } from './routers/external/_router';
import { enterprisesRouter } from './routers/enterprises/_router';
import { keysRouter } from './routers/keys';
import { plansRouter } from './routers/plans/_router';
import { pricesRouter } from './routers/prices';
import { rebatesRouter } from './routers/rebates';
import { rechargeRouter } from './routers/recharge/_router';
import { usageRouter } from './routers/usage/_router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	admin: adminRouter,
	alerts: alertsRouter,
	auth: authRouter,
	capacity: capacityRouter,
	codes: codesRouter,
	dashboard: dashboardRouter,
	external: externalRouter,
	enterprises: enterprisesRouter,
	keys: keysRouter,
	plans: plansRouter,
	prices: pricesRouter,
	rebates: rebatesRouter,
	recharge: rechargeRouter,
	usage: usageRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
