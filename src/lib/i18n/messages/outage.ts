/** The page shown while the database is unreachable (rendered without the app shell). */
export const outage = {
	'zh-CN': {
		'outage.title': '服务暂时不可用',
		'outage.body': 'Tally 暂时无法连接数据库，请稍后再试。本页面将在几秒后自动刷新。',
		'outage.retry': '重试'
	},
	en: {
		'outage.title': 'Tally is temporarily unavailable',
		'outage.body': 'Tally cannot reach its database right now. Please try again shortly; this page reloads itself in a few seconds.',
		'outage.retry': 'Try again'
	}
} as const;
