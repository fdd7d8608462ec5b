import type { HandlerOptions } from '../../context';
import { modelToOutput } from '../../../usage/model-shapes';
import { listModels } from '../../../usage/models';

export async function modelsHandler({ ctx }: HandlerOptions) {
	return (await listModels(ctx.db)).map(modelToOutput);
}
