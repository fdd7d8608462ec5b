/** Invitations: the invite page and sign-up through a link. */
export const invites = {
	'zh-CN': {
		'invite.title': '邀请返利',
		'invite.intro': '把你的邀请链接发给朋友。他们通过链接注册后，每笔充值你都能获得实付金额 {rate} 的返利（赠送额度不计）。',
		'invite.off': '邀请返利暂未开启。',
		'invite.disabled': '你的返利已被管理员停用。',
		'invite.link': '你的邀请链接',
		'invite.earned': '已获返利',
		'invite.reversed': '因退款收回',
		'invite.writtenOff': '其中已使用、不再追回',
		'invite.invitees': '你邀请的用户',
		'invite.none': '还没有人通过你的链接注册',
		'invite.email': '用户',
		'invite.joined': '注册时间',
		'invite.paid': '累计实付',
		'invite.rebate': '你的返利',
		'invite.registerHint': '你正在通过朋友的邀请链接注册。'
	},
	en: {
		'invite.title': 'Invite & earn',
		'invite.intro': 'Send your invite link to friends. When someone who signed up through it pays for a recharge, you earn {rate} of what they paid (bonuses not counted).',
		'invite.off': 'Invitation rebates are switched off.',
		'invite.disabled': 'An admin has switched your rebates off.',
		'invite.link': 'Your invite link',
		'invite.earned': 'Rebates earned',
		'invite.reversed': 'Taken back by refunds',
		'invite.writtenOff': 'of which already spent, written off',
		'invite.invitees': 'People you invited',
		'invite.none': 'Nobody has signed up through your link yet',
		'invite.email': 'Account',
		'invite.joined': 'Signed up',
		'invite.paid': 'Paid in total',
		'invite.rebate': 'Your rebate',
		'invite.registerHint': 'You are signing up through a friend’s invite link.'
	}
} as const;
