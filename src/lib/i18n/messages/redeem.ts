/** The redeem field on the recharge page. */
export const redeem = {
	'zh-CN': {
		'redeem.title': '兑换码',
		'redeem.label': '输入兑换码',
		'redeem.placeholder': '例如 K7QX-3M9A-0Z1B-WW12',
		'redeem.submit': '兑换',
		'redeem.done': '已兑换 {amount}（{batch}）',
		'redeem.expires': '有效期至 {date}',
		'redeem.noExpiry': '长期有效',
		'redeem.balance': '当前余额 {amount}',
		'redeem.wallet': '在钱包中查看',
		'redeem.donePackage': '已兑换资源包「{name}」（{batch}）：{item}'
	},
	en: {
		'redeem.title': 'Redemption code',
		'redeem.label': 'Enter a code',
		'redeem.placeholder': 'e.g. K7QX-3M9A-0Z1B-WW12',
		'redeem.submit': 'Redeem',
		'redeem.done': 'Redeemed {amount} ({batch})',
		'redeem.expires': 'Valid until {date}',
		'redeem.noExpiry': 'Does not expire',
		'redeem.balance': 'Balance now {amount}',
		'redeem.wallet': 'See it in your wallet',
		'redeem.donePackage': 'Redeemed the package “{name}” ({batch}): {item}'
	}
} as const;
