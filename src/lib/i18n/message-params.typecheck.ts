// Type-level test, run by `npm run check`: a message's parameters are typed from its {placeholders}.
import { translate } from '$lib/i18n';
translate('en', 'capacity.line', { tokens: 1, model: 'x' });
// @ts-expect-error a misspelt placeholder
translate('en', 'capacity.line', { tokenz: 1, model: 'x' });
// @ts-expect-error a message without placeholders takes none
translate('en', 'capacity.noPace', { days: 1 });
