/// <reference lib="dom" />
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBackend } from '../helpers/backend';
import { TEST_PASSWORD, identityOf, signedHeaders } from '../helpers/auth';
import {
  chromiumMissingReason,
  e2eFixture,
  expectLooksRight,
  screenshot,
} from '../helpers/browser';

const missing = chromiumMissingReason();

const EMAIL = 'owner@example.test';

describe.skipIf(missing !== undefined)('accounts and API keys in Chromium', () => {
  const ui = e2eFixture();
  let backend: TestBackend;
  let url: string;
  let page: Page;
  let totpSecret = '';
  let keyPem = '';
  let keyId = '';

  beforeAll(async () => {
    ({ backend, url, page } = ui);
  });

  it('creates the owner through the first-run setup link', async () => {
    const token = identityOf(backend).setupLink(url)!;
    expect(token).toContain('#/setup?token=');
    await page.goto(token);
    await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await screenshot(page, 'identity-setup-dark');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('enables 2FA from the profile with a QR code and shows recovery codes', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Profile' })
      .click();
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    await expect(page.getByText(EMAIL).count()).resolves.toBeGreaterThan(0);
    await page.getByLabel('Your password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByAltText('QR code for your authenticator app').waitFor();
    totpSecret = (await page.getByTestId('totp-secret').innerText()).trim();
    await screenshot(page, 'identity-2fa-qr-dark');
    const code = new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate();
    await page.getByLabel('Code from the app').fill(code);
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('region', { name: 'Recovery codes' });
    await codes.waitFor();
    await expect(codes.locator('li').count()).resolves.toBe(10);
    await screenshot(page, 'identity-recovery-codes-dark');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('On', { exact: true }).waitFor();
    await expect(page.locator('.table tbody tr').count()).resolves.toBe(1);
    await screenshot(page, 'identity-profile-dark');
  });

  it('creates an API key generated in the window and shows the private key once', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText(/\/api\/v3$/).waitFor(); // the Binance-compatible base URL
    await page.getByText(/\/binance\/ws-api\/v3$/).waitFor(); // its WebSocket API
    await page.getByLabel('Label').fill('trading bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save your private key now' });
    await dialog.waitFor();
    keyPem = await dialog.getByLabel('Private key (PEM)').inputValue();
    expect(keyPem).toContain('-----BEGIN PRIVATE KEY-----');
    keyId = (await dialog.locator('code').innerText()).trim();
    await screenshot(page, 'identity-key-once-dark');
    await dialog.getByRole('button', { name: 'I have saved it' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    await page.getByText('trading bot').waitFor();
    // The downloaded key really signs requests the server accepts.
    const privateKey = crypto.createPrivateKey(keyPem);
    const target = '/api/v1/notifications?limit=1';
    const res = await backend.http.inject({
      method: 'GET',
      url: target,
      headers: signedHeaders({ id: keyId, privateKey, publicKeyRaw: '' }, 'GET', target),
    });
    expect(res.statusCode).toBe(200);
    await page.reload();
    await page.getByText('trading bot').waitFor();
    await screenshot(page, 'identity-api-keys-dark');
  });

  it('revokes the key at once', async () => {
    await page.getByRole('button', { name: 'Revoke trading bot' }).click();
    await page.getByText(/^Revoked /).waitFor();
    const privateKey = crypto.createPrivateKey(keyPem);
    const target = '/api/v1/notifications?limit=2';
    const res = await backend.http.inject({
      method: 'GET',
      url: target,
      headers: signedHeaders({ id: keyId, privateKey, publicKeyRaw: '' }, 'GET', target),
    });
    expect(res.json().code).toBe('api_key_revoked');
  });

  it('looks right in the light theme: readable contrast, nothing off-screen', async () => {
    await page.evaluate(() => localStorage.setItem('bourse.theme', 'light'));
    await page.reload();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText('trading bot').waitFor();
    await screenshot(page, 'identity-api-keys-light');
    await expectLooksRight(page, 'light');
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await screenshot(page, 'identity-profile-light');
    await expectLooksRight(page, 'light');
  });

  it('signs out, then asks for the password and a TOTP code', async () => {
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await screenshot(page, 'identity-2fa-challenge-light');
    const next = new TOTP({ secret: Secret.fromBase32(totpSecret) }).generate({
      timestamp: Date.now() + 30_000,
    });
    await page.getByLabel('Code').fill(next);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });
});
