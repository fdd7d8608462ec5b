import { authRouter } from './routers/auth';
import { groupsRouter } from './routers/groups';
import { keysRouter } from './routers/keys';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	groups: groupsRouter,
	keys: keysRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
