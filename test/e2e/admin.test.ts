/// <reference lib="dom" />
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { TEST_PASSWORD, createOwner, createUser, enableTwoFactor, totpCode } from '../helpers/auth';
import { chromiumMissingReason, e2eFixture, screenshot } from '../helpers/browser';
import { fund, limit, place } from '../helpers/exchange';

const missing = chromiumMissingReason();

describe.skipIf(missing !== undefined)('admin panel and wallet in Chromium', () => {
  const ui = e2eFixture();
  let browser: Browser;
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let traderEmail = '';
  let traderId = '';
  let auditorEmail = '';
  let auditorSecret = '';
  let totpSecret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    ({ backend, url, browser, page } = ui);
    const owner = await createOwner(backend);
    const twoFactor = await enableTwoFactor(backend, owner);
    totpSecret = twoFactor.totpSecret ?? '';
    recoveryCodes = twoFactor.recoveryCodes;
    const trader = await createUser(backend, 'trader');
    traderEmail = trader.email;
    traderId = trader.userId;
    const auditor = await createUser(backend, 'auditor'); // with 2FA: the role needs it
    auditorEmail = auditor.email;
    auditorSecret = auditor.totpSecret ?? '';
  });

  /** Signs in; `secret` answers the 2FA challenge with a TOTP code, `code` with that code. */
  async function signIn(email: string, secret?: string, code?: string) {
    await page.goto(`${url}/?signin=1#/admin`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (secret || code) {
      // The next time step: the code used to turn 2FA on is never accepted twice.
      await page.getByLabel('Code').fill(code ?? totpCode(backend, secret!, 1));
      await page.getByRole('button', { name: 'Verify' }).click();
    }
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  it('lists users, credits a trader through the ledger and reconciles', async () => {
    const userLists: string[] = [];
    const countLists = (r: { url(): string }) => {
      if (r.url().includes('/api/v1/admin/users?')) userLists.push(r.url());
    };
    page.on('request', countLists);
    await signIn('owner@example.test', totpSecret);
    await page.getByRole('link', { name: 'Admin' }).click();
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByText(traderEmail).waitFor();
    page.off('request', countLists);
    // Opening the tab asks for the first page once (it used to ask twice).
    expect(userLists).toHaveLength(1);
    await screenshot(page, 'admin-users-dark');
    // Found by part of the email; the count says how many match.
    const find = page.getByRole('search', { name: 'Find users' });
    await find.getByLabel('Email contains').fill(traderEmail.slice(0, 12).toUpperCase());
    await page.getByTestId('users-count').getByText('1 matching account').waitFor();
    await expect(users.locator('tbody tr').count()).resolves.toBe(1);
    await find.getByLabel('Status').selectOption('banned');
    await page.getByText('No account matches these filters.').waitFor();
    await screenshot(page, 'admin-users-filtered-dark');
    await find.getByLabel('Status').selectOption('');
    await find.getByLabel('Email contains').fill('');
    await users.getByText('owner@example.test').waitFor();

    await page.getByRole('tab', { name: 'Ledger' }).click();
    const form = page.getByRole('form', { name: 'Ledger entry' });
    // The user is found by email as it is typed, never by loading every account.
    await form.getByLabel('User').fill('nobody-here');
    await form.getByText('No account has this in its email').waitFor();
    await form.getByLabel('User').fill(traderEmail.slice(0, 12));
    await form.getByText('1 match: pick one').waitFor();
    await form.getByLabel('User').fill(traderEmail);
    await form.getByText('✓ trader account').waitFor();
    await form.getByLabel('Asset').selectOption('USDT');
    await form.getByLabel('Amount').fill('2500.50');
    await form.getByLabel('Reason (kept in the journal)').fill('opening balance');
    await form.getByRole('button', { name: 'Post entry' }).click();
    await page.getByText(/USDT available 2500\.50/).waitFor();
    // A debit beyond the balance is refused with the server's reason, and changes nothing.
    await form.getByLabel('Kind').selectOption('debit');
    await form.getByLabel('Amount').fill('9999');
    await form.getByLabel('Reason (kept in the journal)').fill('too much');
    await form.getByRole('button', { name: 'Post entry' }).click();
    await page.locator('.error-text[role=status]').waitFor();
    await page.getByRole('button', { name: 'Reconcile now' }).click();
    await page.getByText(/accounts reconcile/).waitFor();
    await screenshot(page, 'admin-ledger-dark');

    await page.getByRole('tab', { name: 'Markets' }).click();
    const status = page.getByLabel('Status of EUR/USD');
    await status.selectOption('halted');
    await page.getByText('EUR/USD is now halted').waitFor();
    await expect(status.inputValue()).resolves.toBe('halted');
    await page.getByRole('tab', { name: 'Jobs' }).click();
    const jobs = page.getByRole('table', { name: 'Jobs' });
    await jobs.getByText('ledger.reconcile').waitFor();
    await jobs
      .getByRole('row', { name: /ledger\.reconcile/ })
      .getByRole('button')
      .click();
    const queued = page.getByText(/ledger\.reconcile queued as run #\d+/);
    await queued.waitFor();
    // Follow the run this click queued: the scheduler also reconciles every 5 minutes, and a
    // test that crosses one of those minutes sees a second successful run.
    const runId = /#(\d+)/.exec((await queued.textContent()) ?? '')?.[1];
    await page
      .getByRole('table', { name: 'Job runs' })
      .getByRole('row', { name: new RegExp(`#${runId}\\s+ledger\\.reconcile\\s+succeeded`) })
      .waitFor();
    await screenshot(page, 'admin-jobs-dark');

    // Everything above is in the audit trail, newest first, with who did it.
    await page.getByRole('tab', { name: 'Audit' }).click();
    const audit = page.getByRole('table', { name: 'Audit events' });
    await audit.getByRole('row', { name: /Job run started.*ledger\.reconcile/ }).waitFor();
    await audit.getByRole('row', { name: /Market changed.*EUR\/USD.*trading → halted/ }).waitFor();
    const funded = audit.getByRole('row', { name: /Balance funded.*opening balance/ });
    await funded.waitFor();
    await screenshot(page, 'admin-audit-dark');
    // Narrowed to one action, then to what happened to the trader.
    await page.getByLabel('Action').selectOption({ label: 'Balance corrected' });
    await audit.getByText('No events match these filters.').waitFor();
    await page.getByLabel('Action').selectOption({ label: 'Balance funded' });
    await funded.waitFor();
    await funded.getByRole('button', { name: traderEmail }).click();
    await page.getByRole('button', { name: `on ${traderEmail} ✕` }).waitFor();
    await expect(audit.getByRole('row').count()).resolves.toBe(2); // header + the one credit
    // What the filters show is what the export holds.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^bourse-audit-\d{12}\.csv$/);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(2);
    expect(csv[0]).toMatch(/^id,time_utc,actor,/);
    expect(csv[1]).toContain('Balance funded');
    expect(csv[1]).toContain('opening balance');
    await page.getByText('Exported 1 event.').waitFor();
    await screenshot(page, 'admin-audit-filtered-dark');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await audit.getByRole('row', { name: /Job run started/ }).waitFor();
  });

  it('shows an auditor the audit trail and nothing else', async () => {
    await page.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await signIn(auditorEmail, auditorSecret);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page
      .getByRole('table', { name: 'Audit events' })
      .getByRole('row', { name: /Role changed|User created/ })
      .first()
      .waitFor();
    await expect(page.getByRole('tab').allTextContents()).resolves.toEqual(['Audit']);
    await screenshot(page, 'admin-audit-light');
  });

  it('tells an admin without 2FA where to turn it on instead of showing refusals', async () => {
    const admin = await createUser(backend, 'admin', { twoFactor: false });
    await page.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(r.url());
    });
    await signIn(admin.email); // lands on Admin
    await page.getByText('Administration needs two-factor authentication for your role.').waitFor();
    await expect(page.getByRole('tab').count()).resolves.toBe(0);
    // The Trade screen's simulator card (an admin control) says why it is not there.
    await page.getByRole('link', { name: 'Trade' }).click();
    await page
      .getByRole('region', { name: 'Market simulator' })
      .getByText('Tuning the simulator needs two-factor authentication for your role.')
      .waitFor();
    await page.getByRole('link', { name: 'Admin' }).click();
    await screenshot(page, 'admin-needs-2fa-dark');
    await page.getByRole('link', { name: 'Turn it on in Profile' }).click();
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    // Nothing was asked that the server would refuse.
    expect(refused).toEqual([]);
  });

  it('shows the trader their balance and its journal entry in the wallet', async () => {
    // A fresh browser context: the trader's own session.
    await page.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await signIn(traderEmail);
    await page.getByRole('link', { name: 'Wallet' }).click();
    const balances = page.getByRole('table', { name: 'Balances' });
    await balances.getByText('2500.500000').first().waitFor();
    await page
      .getByRole('table', { name: 'Ledger entries' })
      .getByText('opening balance')
      .waitFor();
    await screenshot(page, 'wallet-dark');

    // Statements: a trade of the trader's, then both exports over today.
    const seller = await createUser(backend, 'trader');
    await fund(backend, seller.userId, 'BTC', '1');
    await place(backend, seller.userId, limit('sell', '30000.00', '0.01'));
    await place(backend, traderId, limit('buy', '30000.00', '0.01'));
    // The ledger history takes the new entries in as they happen, newest on top.
    const entries = page.getByRole('table', { name: 'Ledger entries' });
    await entries.getByRole('row').nth(1).getByText('Trade', { exact: true }).waitFor();
    await expect(entries.getByRole('row').count()).resolves.toBe(4); // header + 3 entries
    const statements = page.getByRole('article', { name: 'Statements' });
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await statements.getByLabel('From').fill(today);
    await statements.getByLabel('To').fill('2000-01-01');
    await statements.getByRole('button', { name: 'Trades CSV' }).click();
    await statements.getByText('The period ends before it starts.').waitFor();
    await statements.getByLabel('To').fill(today);
    const exported = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        statements.getByRole('button', { name: button }).click(),
      ]);
      const lines = fs
        .readFileSync(await download.path(), 'utf8')
        .trim()
        .split('\r\n');
      return { name: download.suggestedFilename(), lines };
    };
    const trades = await exported('Trades CSV');
    expect(trades.name).toBe(`bourse-trades-${today}_${today}.csv`);
    expect(trades.lines).toHaveLength(2);
    expect(trades.lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z,BTC\/USDT,BTC,USDT,buy,taker,30000\.00,0\.0100,300\.000000,0\.600000,USDT,\d+,\d+$/,
    );
    await statements.getByText('Exported 1 trade.').waitFor();
    const ledger = await exported('Ledger CSV');
    // Oldest first: the funding, the order's hold, then the fill's settlement.
    expect(ledger.lines[0]).toBe(
      'entry_id,time_utc,kind,reason,ref_type,ref_id,asset,account,amount',
    );
    const kinds = ledger.lines.slice(1).map((l) => l.split(',')[2]);
    expect([...new Set(kinds)]).toEqual(['funding', 'order_hold', 'trade_settlement']);
    await statements.getByText(/^Exported \d+ entries\.$/).waitFor();
    await statements.scrollIntoViewIfNeeded();
    await screenshot(page, 'wallet-statements-dark');
    // A trader sees no admin tabs.
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByText(/has no administrative permissions/).waitFor();
    await page.evaluate(() => localStorage.setItem('bourse.theme', 'light'));
    await page.reload();
    await page.getByRole('link', { name: 'Wallet' }).click();
    await balances.waitFor();
    await screenshot(page, 'wallet-light');
  });

  it('passes a password reset link on from the outbox when there is no mail server', async () => {
    const visitor = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'dark',
    });
    await visitor.goto(`${url}/?signin=1`);
    await visitor.getByRole('button', { name: 'Forgot your password?' }).click();
    await visitor.getByLabel('Email').fill(traderEmail);
    await visitor.getByRole('button', { name: 'Request reset link' }).click();
    await visitor.getByText(/its reset link is waiting for an administrator/).waitFor();

    await page.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    // A second sign-in within the same 30 s: a recovery code, since TOTP codes never repeat.
    await signIn('owner@example.test', undefined, recoveryCodes[0]);
    await page.getByRole('tab', { name: 'Outbox' }).click();
    await page.getByText('hand over in person').waitFor();
    await screenshot(page, 'admin-outbox-dark');
    const body = (await page.locator('.outbox-body').first().textContent()) ?? '';
    const link = /#\/reset\?token=[A-Za-z0-9_.-]+/.exec(body)?.[0];
    expect(link).toBeDefined();

    await visitor.goto(`${url}/${link}`);
    await visitor.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await visitor
      .getByRole('textbox', { name: /^New password/ })
      .fill('a long new passphrase for the trader');
    await visitor.getByRole('button', { name: 'Set password' }).click();
    await visitor.getByText('Your password was changed').waitFor();
    await visitor.close();
  });
});
