import { adminProcedure, router, scopedProcedure } from '../../init';
import { exportCsvHandler } from './exportCsv.handler';
import { exportCsvInput, exportCsvOutput } from './exportCsv.schema';
import { findUsersHandler } from './findUsers.handler';
import { findUsersInput, findUsersOutput } from './findUsers.schema';
import { overviewHandler } from './overview.handler';
import { overviewInput, overviewOutput } from './overview.schema';
import { platformHandler } from './platform.handler';
import { platformInput, platformOutput } from './platform.schema';
import { recordsHandler } from './records.handler';
import { recordsInput, recordsOutput, recordsMeta } from './records.schema';
import { usedModelsHandler } from './usedModels.handler';
import { usedModelsInput, usedModelsOutput } from './usedModels.schema';
import { walletHistoryHandler } from './walletHistory.handler';
import { walletHistoryInput, walletHistoryOutput, walletHistoryMeta } from './walletHistory.schema';

/** A user's usage, records and wallet ledger (their own; a platform admin's any user's), and platform totals. */
export const dashboardRouter = router({
	overview: scopedProcedure('usage:read').input(overviewInput).output(overviewOutput).query(overviewHandler),

	records: scopedProcedure('usage:read').meta(recordsMeta).input(recordsInput).output(recordsOutput).query(recordsHandler),

	usedModels: scopedProcedure('usage:read').input(usedModelsInput).output(usedModelsOutput).query(usedModelsHandler),

	exportCsv: scopedProcedure('usage:read').input(exportCsvInput).output(exportCsvOutput).query(exportCsvHandler),

	walletHistory: scopedProcedure('usage:read').meta(walletHistoryMeta).input(walletHistoryInput).output(walletHistoryOutput).query(walletHistoryHandler),

	platform: adminProcedure.input(platformInput).output(platformOutput).query(platformHandler),

	findUsers: adminProcedure.input(findUsersInput).output(findUsersOutput).query(findUsersHandler)
});
