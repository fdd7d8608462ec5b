export * from './auth';
export * from './groups';
export * from './ledger';
export * from './usage';
export * from './recharge';
export * from './invitations';
export * from './holds';
export * from './growth';
