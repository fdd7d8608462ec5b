import { createTallyClient } from '@tally/client';

const tally = createTallyClient({ baseUrl: process.env.TALLY_URL!, apiKey: process.env.TALLY_API_KEY! });

// 1. The user signed in on your site: create or update them in Tally.
const { data: user, error } = await tally.POST('/user/external/sync', {
	body: { external_user_id: 'wx_10001', login_type: 'wechat', wechat_openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M', name: '李雷' }
});
if (error) throw new Error(`sync refused: ${error.message}`);
console.log(user.created ? 'new user' : 'known user', user.user_id);

// 2. They paid you $9.99: credit it once (a retry with the same payment_id answers the same).
const { data: topup } = await tally.POST('/user/external/topup', {
	body: { external_user_id: 'wx_10001', amount_usd: '9.99', payment_id: 'pay_20260101_0001' }
});
console.log('credits', topup?.credits, 'balance', topup?.balance_after);

// 3. An API key for them (the secret is in this answer only).
const { data: token } = await tally.POST('/user/external/token', { body: { external_user_id: 'wx_10001', name: 'app', expires_in_days: 365 } });
console.log('key', token?.prefix);

// 4. Their usage per day and per model, and what their balance buys.
const { data: stats } = await tally.GET('/user/external/{external_user_id}/stats', {
	params: { path: { external_user_id: 'wx_10001' }, query: { from: '2026-01-01', to: '2026-01-31' } }
});
console.log('requests', stats?.total.requests, 'cost', stats?.total.cost);
const { data: capacity } = await tally.GET('/user/external/{external_user_id}/balance-capacity', { params: { path: { external_user_id: 'wx_10001' } } });
const best = capacity?.models[0];
if (best) console.log(`buys ≈ ${best.mixed_tokens} tokens of ${best.model}; lasts ${capacity.runway_days ?? '∞'} days`);
