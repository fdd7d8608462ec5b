// Type-level test, run by `npm run check`: a message's parameters are typed from its {placeholders}.
import { translate } from '$lib/server/i18n';
import { translateIn } from '$lib/i18n';
import { external } from '$lib/i18n/messages/external';
translate('en', 'capacity.line', { tokens: 1, model: 'x' });
// @ts-expect-error a misspelt placeholder
translate('en', 'capacity.line', { tokenz: 1, model: 'x' });
// @ts-expect-error a message without placeholders takes none
translate('en', 'capacity.noPace', { days: 1 });

// A page's `t` knows only the areas it names: a key of another area fails the type check.
translateIn([external], 'en', 'capacity.line', { tokens: 1, model: 'x' });
// @ts-expect-error a misspelt placeholder, through an area
translateIn([external], 'en', 'capacity.line', { tokenz: 1, model: 'x' });
// @ts-expect-error a key of an area not given
translateIn([external], 'en', 'usage.title');
