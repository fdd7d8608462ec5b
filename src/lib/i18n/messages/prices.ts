/** The public price list (/prices) and the links to it. */
export const prices = {
	'zh-CN': {
		'prices.title': '模型价格',
		'prices.intro': '每个可用模型的价格，按每百万 token 计（{currency}）。',
		'prices.model': '模型',
		'prices.provider': '提供方',
		'prices.input': '输入 / 百万 token',
		'prices.output': '输出 / 百万 token',
		'prices.perImage': '每张图片',
		'prices.change': '调价',
		'prices.changeOn': '{date} 起：输入 {input}，输出 {output}',
		'prices.none': '暂无可用模型',
		'prices.unpriced': '未定价',
		'prices.link': '查看模型价格',
		'prices.public': '允许未登录的访客查看模型价格（/prices）',
		'prices.publicSaved': '价格公开设置已保存',
		'prices.signIn': '登录'
	},
	en: {
		'prices.title': 'Model prices',
		'prices.intro': 'Every available model’s price per 1M tokens ({currency}).',
		'prices.model': 'Model',
		'prices.provider': 'Provider',
		'prices.input': 'Input / 1M tokens',
		'prices.output': 'Output / 1M tokens',
		'prices.perImage': 'Per image',
		'prices.change': 'Change',
		'prices.changeOn': 'From {date}: input {input}, output {output}',
		'prices.none': 'No models available yet',
		'prices.unpriced': 'Not priced',
		'prices.link': 'See model prices',
		'prices.public': 'Let visitors who are not signed in see model prices (/prices)',
		'prices.publicSaved': 'Price list visibility saved',
		'prices.signIn': 'Sign in'
	}
} as const;
