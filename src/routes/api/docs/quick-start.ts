import type { Locale } from '$lib/i18n';

/** The commands and answers, the same in every language. */
const sample = {
	keyExport: `\`\`\`sh
export TALLY_KEY=tly_...
\`\`\``,
	authorize: `\`\`\`sh
curl -s {base}/v1/usage/authorize \\
  -H "Authorization: Bearer $TALLY_KEY" -H "Content-Type: application/json" \\
  -d '{"user_id": 42, "model": "gpt-4o-mini", "estimated_input_tokens": 1200, "max_output_tokens": 800}'
\`\`\``,
	authorizeAnswer: `\`\`\`json
{"allowed": true, "reason": "ok", "payer": {"wallet_id": 7, "enterprise_id": null}, "available": 1250000, "estimated_cost": 660}
\`\`\``,
	report: `\`\`\`sh
curl -s {base}/v1/usage \\
  -H "Authorization: Bearer $TALLY_KEY" -H "Content-Type: application/json" \\
  -d '{"request_id": "req-123", "user_id": 42, "model": "gpt-4o-mini", "input_tokens": 1180, "output_tokens": 412}'
\`\`\``,
	reportAnswer: `\`\`\`json
{"results": [{"request_id": "req-123", "status": "settled", "cost": 424, "payer_wallet_id": 7, "enterprise_id": null, "balance_after": 1249576}], "settled": 1, "duplicates": 0, "rejected": 0}
\`\`\``,
	balance: `\`\`\`sh
curl -s {base}/v1/token-usage/balance -H "Authorization: Bearer $TALLY_KEY"
\`\`\`

\`\`\`json
{"token_balance": 1249576, "in_arrears": false}
\`\`\``,
	errorAnswer: `\`\`\`json
{"code": "FORBIDDEN", "message": "scope_required:usage:write", "request_id": "5f0c…"}
\`\`\``
};

/**
 * The gateway quick start at the top of /api/docs, in markdown (rendered with marked on the
 * server). `{base}` is the API server of this instance. The sample answers follow the routes'
 * output schemas; amounts are integer credits.
 */
const quickStart: Record<Locale, string> = {
	'zh-CN': `## 网关接入：四步

所有金额都是整数**积分**（10,000 积分 = ¥1）。请求与回答都是 JSON；字符串不会被当作数字，\`null\` 也不是 0。

### 1. 创建 API 密钥

在控制台 [API 密钥](/keys) 页面创建密钥。网关计费需要 \`usage:write\` 范围（只有管理员和服务账号可持有，它能为任何用户计费）；只为自己计费用 \`usage:write:own\`；只读余额与用量用 \`usage:read\`。密钥只显示一次，放进环境变量：

${sample.keyExport}

### 2. 请求前授权（可选预留额度）

${sample.authorize}

回答：

${sample.authorizeAnswer}

\`allowed: false\` 时 \`reason\` 说明原因（如 \`in_arrears\`、\`insufficient_funds\`）。加上 \`"reserve": true, "request_id": "req-123"\` 会预留额度，上报同一 \`request_id\` 的用量即完成扣款。

### 3. 上报用量

${sample.report}

回答（按事件逐条给出；同一 \`request_id\` 重复上报只记一次，回答 \`duplicate\`）：

${sample.reportAnswer}

一次最多上报 1,000 条：\`{"events": [...]}\`。

### 4. 查询余额

${sample.balance}

### 错误

每个错误回答的形状都相同，\`message\` 是稳定的英文代码，可据此编程处理；联系支持时请附上 \`request_id\`：

${sample.errorAnswer}
`,
	en: `## Gateway quick start: four steps

Every amount is an integer number of **credits** (10,000 credits = ¥1). Requests and answers are JSON; a string is never read as a number and \`null\` is never 0.

### 1. Create an API key

Create a key on the console's [API keys](/keys) page. Billing from a gateway needs the \`usage:write\` scope (only admins and service accounts may hold it: it bills any user); billing only yourself needs \`usage:write:own\`; reading balance and usage needs \`usage:read\`. The key is shown once; keep it in an environment variable:

${sample.keyExport}

### 2. Authorize before a request (optionally reserve)

${sample.authorize}

Answer:

${sample.authorizeAnswer}

With \`allowed: false\`, \`reason\` says why (\`in_arrears\`, \`insufficient_funds\`). Add \`"reserve": true, "request_id": "req-123"\` to place a hold; reporting usage with the same \`request_id\` captures it.

### 3. Report usage

${sample.report}

Answer (one result per event; a repeated \`request_id\` is billed once and answers \`duplicate\`):

${sample.reportAnswer}

Up to 1,000 events at once: \`{"events": [...]}\`.

### 4. Read the balance

${sample.balance}

### Errors

Every error answer has the same shape; \`message\` is a stable code to program against; quote \`request_id\` to support:

${sample.errorAnswer}
`
};

export function quickStartMarkdown(locale: Locale, base: string): string {
	return quickStart[locale].replaceAll('{base}', base);
}
