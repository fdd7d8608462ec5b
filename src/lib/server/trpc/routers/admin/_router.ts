import { router } from '../../init';
import { accountProcedures } from './accounts';
import { creditProcedures } from './credits';
import { modelProcedures } from './models';

/** What a platform admin does: accounts and sign-up settings, credit adjustments, models and prices. */
export const adminRouter = router({ ...accountProcedures, ...creditProcedures, ...modelProcedures });
