import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/contract';
import { startLocalChain, type LocalChain } from '../../fakes/chain/local-chain';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { admin, ensureUser, trader } from '../../helpers/exchange';
import { setUpFunding } from './setup';

/**
 * Demo money never mixes with real money: on one exchange every asset trades against every
 * other, so once real coins can come in (or go out), play money would buy — and withdraw — them.
 * Demo top-ups stop for everyone as soon as an asset's deposits or withdrawals are on.
 */
describe('demo funds and real funding', () => {
  let chain: LocalChain;
  let backend: TestBackend;
  beforeAll(async () => {
    chain = await startLocalChain({ http: true });
    backend = await startTestBackend();
    ensureUser(backend, 'dora');
  });
  afterAll(async () => {
    await backend.cleanup();
    await chain.close();
  });

  it('top-ups work until real deposits are switched on, then stop with the reason', async () => {
    const topUp = () => backend.invoke('balances.demoTopUp', {}, trader('dora'));
    await expect(topUp()).resolves.toMatchObject({ credited: expect.any(Array) });
    await setUpFunding(backend, chain);
    const refused = await topUp().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'demo_funds_disabled' });
    expect((refused as AppError).message).toMatch(/real ETH deposits were switched on/);
    // Switched off again (and nothing else on): demo funds are back.
    await backend.invoke(
      'admin.funding.assetSet',
      { asset: 'ETH', chainId: 31337, tokenDecimals: 18, confirmations: 3, depositsEnabled: false },
      admin(),
    );
    await expect(topUp()).resolves.toMatchObject({ credited: expect.any(Array) });
  });
});
