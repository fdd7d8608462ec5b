export const usage = {
	'zh-CN': {},
	en: {}
} as const;
