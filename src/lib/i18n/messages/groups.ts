export const groups = {
	'zh-CN': {},
	en: {}
} as const;
