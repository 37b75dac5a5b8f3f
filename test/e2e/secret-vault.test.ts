/// <reference lib="dom" />
import fs from 'node:fs';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, identityOf } from '../helpers/auth';
import { tempDataDir, type TestBackend } from '../helpers/backend';
import {
  chromiumMissingReason,
  e2eFixture,
  screenshot,
  startServedBackend,
} from '../helpers/browser';

const missing = chromiumMissingReason();

const EMAIL = 'owner@example.test';
const PASSPHRASE = 'harbour lantern quietly 1987';

/**
 * A headless install without an OS keychain: the encrypted file store, with its real
 * (desktop) key derivation. The data directory outlives the first backend for the restart.
 */
describe.skipIf(missing !== undefined)(
  'no keychain: the encrypted secret store in Chromium',
  () => {
    const dataDir = tempDataDir('bourse-e2e-vault-');
    // The backend is this suite's own: it restarts it on the same data directory.
    const ui = e2eFixture({ serve: false });
    let backend: TestBackend | undefined;
    let url: string;
    let page: Page;
    let totpSecret = '';

    const serve = async () => {
      ({ backend, url } = await startServedBackend({ dataDir, secrets: 'encrypted-file' }));
    };
    const nav = (name: string) =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

    beforeAll(async () => {
      await serve();
      page = ui.page;
    });
    afterAll(async () => {
      await backend?.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('has the owner choose the passphrase at first start', async () => {
      await page.goto(identityOf(backend!).setupLink(url)!);
      await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Create owner account' }).click();
      await page.getByRole('heading', { name: 'Protect your secrets' }).waitFor();
      await page.getByLabel(/^Passphrase/).fill(PASSPHRASE);
      await page.getByLabel('Confirm passphrase').fill(`${PASSPHRASE}!`);
      await page.getByRole('button', { name: 'Create encrypted store' }).click();
      await page.getByRole('alert').getByText('The two passphrases differ').waitFor();
      await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
      await screenshot(page, 'vault-create-dark');
      await page.getByRole('button', { name: 'Create encrypted store' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      expect(fs.statSync(`${dataDir}/secrets.enc`).mode & 0o777).toBe(0o600);
    });

    it('enrols 2FA, reaches Admin and shows the store in Settings', async () => {
      await nav('Profile');
      await page.getByLabel('Your password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      await page.getByAltText('QR code for your authenticator app').waitFor();
      totpSecret = (await page.getByTestId('totp-secret').innerText()).trim();
      await page
        .getByLabel('Code from the app')
        .fill(new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate());
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await nav('Admin');
      await page.getByRole('heading', { name: 'Admin' }).waitFor();
      await page.getByRole('table', { name: 'Users' }).getByText(EMAIL).waitFor();
      await expect(page.getByText('needs two-factor authentication').count()).resolves.toBe(0);
      await nav('Settings');
      await page.getByText(/^Encrypted file \(unlocked\)/).waitFor();
      await screenshot(page, 'vault-settings-dark');
    });

    it('after a restart asks for the passphrase, then signs the owner in with 2FA', async () => {
      await backend!.close();
      backend = undefined;
      await serve();
      await page.goto(`${url}/#/trade`);
      await page.getByRole('heading', { name: 'Unlock the secret store' }).waitFor();
      await page.getByLabel('Passphrase').fill('not the passphrase');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('alert').getByText('does not open').waitFor();
      await page.getByLabel('Passphrase').fill(PASSPHRASE);
      await screenshot(page, 'vault-unlock-dark');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
      // The next step's code: the enrolment may have spent the current one.
      const next = new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate({
        timestamp: Date.now() + 30_000,
      });
      await page.getByLabel('Code').fill(next);
      await page.getByRole('button', { name: 'Verify' }).click();
      await nav('Admin');
      await page.getByRole('table', { name: 'Users' }).getByText(EMAIL).waitFor();
      await screenshot(page, 'vault-admin-after-unlock-dark');
    });
  },
);
