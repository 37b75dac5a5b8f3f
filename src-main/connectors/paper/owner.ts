/** The ledger owner of a paper account's cash. */
export const paperOwner = (accountId: string) => `paper:${accountId}`;
