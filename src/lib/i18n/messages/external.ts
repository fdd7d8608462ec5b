export const external = {
	'zh-CN': {
		'capacity.line': '你的余额约可购买 {tokens} tokens 的 {model}',
		'capacity.runway': '按当前速度约可使用 {days} 天',
		'capacity.noPace': '近 7 天没有消费',
		'capacity.featured': '余额可购买量：优先显示的模型',
		'capacity.featuredHint': '用逗号分隔的模型代码，按顺序显示在最前（例如 deepseek-chat）；其余按代码排序。',
		'capacity.featuredSaved': '已保存'
	},
	en: {
		'capacity.line': 'Your balance buys ≈ {tokens} tokens of {model}',
		'capacity.runway': 'lasts about {days} days at your current pace',
		'capacity.noPace': 'no spending in the last 7 days',
		'capacity.featured': 'What a balance buys: models shown first',
		'capacity.featuredHint': 'Comma-separated model codes, shown first in this order (e.g. deepseek-chat); the rest follow by code.',
		'capacity.featuredSaved': 'Saved'
	}
} as const;
