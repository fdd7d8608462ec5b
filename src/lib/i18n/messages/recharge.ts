export const recharge = {
	'zh-CN': {},
	en: {}
} as const;
