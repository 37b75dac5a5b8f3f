import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayActOn, mayGrant, permissionsOfRole, ROLES } from '../../src-shared/contract';
import type { Principal } from '../../src-main/operations/principal';
import { startTestBackend, type TestBackend } from '../helpers/backend';
import {
  createOwner,
  createUser,
  enableTwoFactor,
  identityOf,
  type TestSession,
} from '../helpers/auth';

/**
 * Issue #22, item 4: support cannot take over accounts. Reset links are shown in full only to
 * owners and administrators with 2FA on, and nobody acts on (bans, unbans, re-roles, ends the
 * sessions of) a user ranked at or above them, or grants a role at or above their own.
 */

let backend: TestBackend;
let owner: TestSession;
let admin: TestSession;
let support: TestSession;

beforeAll(async () => {
  backend = await startTestBackend();
  owner = await enableTwoFactor(backend, await createOwner(backend));
  admin = await createUser(backend, 'admin');
  support = await createUser(backend, 'support');
});
afterAll(async () => backend.cleanup());

async function call(method: 'GET' | 'POST', url: string, as: TestSession, body?: object) {
  return backend.http.inject({
    method,
    url,
    headers: as.headers,
    ...(body ? { payload: body } : {}),
  });
}
const act = (as: TestSession, target: string, action: 'ban' | 'unban' | 'end-sessions') =>
  call('POST', `/api/v1/admin/users/${target}/${action}`, as, {});
const setRole = (as: TestSession, target: string, role: string) =>
  call('POST', `/api/v1/admin/users/${target}/role`, as, { role });
const roleOf = (userId: string) => identityOf(backend).users.require(userId).role;
const bannedAt = (userId: string) => identityOf(backend).users.require(userId).bannedAt;

async function refused(res: Awaited<ReturnType<typeof call>>, code = 'role_hierarchy') {
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json()).toMatchObject({ code });
}

describe('password reset links in the admin outbox', () => {
  let victim: TestSession;
  let outbox: () => string;

  beforeAll(async () => {
    victim = await createUser(backend, 'trader');
    const asked = await backend.http.inject({
      method: 'POST',
      url: '/api/v1/password-reset',
      payload: { email: victim.email },
    });
    expect(asked.statusCode).toBe(200);
    // The link's secret, as only the outbox itself knows it.
    outbox = () => /token=(\S+)/.exec(identityOf(backend).outbox.list(true)[0]!.body)![1]!;
  });

  it('shows support the message with its link masked', async () => {
    const res = await call('GET', '/api/v1/admin/outbox', support);
    expect(res.statusCode, res.body).toBe(200);
    const [message] = res.json().items as Array<{ to: string; body: string; masked: boolean }>;
    expect(message).toMatchObject({ to: victim.email, masked: true });
    expect(message!.body).toContain('[hidden]');
    expect(res.body).not.toContain(outbox());
    expect(res.body).not.toContain(outbox().split('.')[1]!);
  });

  it('shows owners and administrators (2FA on) the link in full', async () => {
    for (const who of [owner, admin]) {
      const res = await call('GET', '/api/v1/admin/outbox', who);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items[0]).toMatchObject({ masked: false });
      expect(res.json().items[0].body).toContain(outbox());
    }
  });

  it('refuses an administrator whose 2FA is off (it sees no outbox at all)', async () => {
    const unprotected = await createUser(backend, 'admin', { twoFactor: false });
    await refused(await call('GET', '/api/v1/admin/outbox', unprotected), 'two_factor_required');
  });

  it('masks for support through the IPC door too', async () => {
    const principal: Principal = {
      kind: 'user',
      userId: support.userId,
      role: 'support',
      permissions: permissionsOfRole('support'),
    };
    const out = (await backend.invoke('admin.outbox.list', {}, principal, 'ipc')) as {
      items: Array<{ masked: boolean; body: string }>;
    };
    expect(out.items[0]).toMatchObject({ masked: true });
    expect(out.items[0]!.body).not.toContain(outbox());
  });
});

describe('support cannot take over accounts', () => {
  it('cannot ban, unban or end the sessions of an admin, an owner or another support', async () => {
    const peer = await createUser(backend, 'support');
    for (const target of [admin, owner, peer]) {
      for (const action of ['ban', 'unban', 'end-sessions'] as const) {
        await refused(await act(support, target.userId, action));
      }
      expect(bannedAt(target.userId)).toBeNull();
    }
    // Its sessions still work: nothing was ended.
    expect((await call('GET', '/api/v1/sessions', admin)).statusCode).toBe(200);
  });

  it('cannot change roles, upward or at all', async () => {
    const trader = await createUser(backend, 'trader');
    for (const role of ['owner', 'admin', 'support', 'viewer']) {
      await refused(await setRole(support, trader.userId, role), 'forbidden');
    }
    await refused(await setRole(support, support.userId, 'admin'), 'forbidden');
    expect(roleOf(trader.userId)).toBe('trader');
    expect(roleOf(support.userId)).toBe('support');
  });

  it('still bans and unbans a trader (the job it is there for)', async () => {
    const trader = await createUser(backend, 'trader');
    expect((await act(support, trader.userId, 'ban')).statusCode).toBe(200);
    expect(bannedAt(trader.userId)).not.toBeNull();
    expect((await act(support, trader.userId, 'unban')).statusCode).toBe(200);
    expect(bannedAt(trader.userId)).toBeNull();
  });

  it('is held to the same rule through the IPC door', async () => {
    const principal: Principal = {
      kind: 'user',
      userId: support.userId,
      role: 'support',
      permissions: permissionsOfRole('support'),
    };
    await expect(
      backend.invoke('admin.users.ban', { userId: admin.userId }, principal, 'ipc'),
    ).rejects.toMatchObject({ code: 'role_hierarchy', status: 403 });
    expect(bannedAt(admin.userId)).toBeNull();
  });
});

describe('administrators stay below owners', () => {
  it('cannot ban, end the sessions of, or re-role an owner', async () => {
    await refused(await act(admin, owner.userId, 'ban'));
    await refused(await act(admin, owner.userId, 'end-sessions'));
    await refused(await setRole(admin, owner.userId, 'trader'));
    expect(roleOf(owner.userId)).toBe('owner');
    expect((await call('GET', '/api/v1/sessions', owner)).statusCode).toBe(200);
  });

  it('cannot act on another admin, raise anyone to admin or owner, or re-role itself', async () => {
    const other = await createUser(backend, 'admin');
    await refused(await act(admin, other.userId, 'ban'));
    await refused(await setRole(admin, other.userId, 'trader'));
    const trader = await createUser(backend, 'trader');
    await refused(await setRole(admin, trader.userId, 'admin'));
    await refused(await setRole(admin, trader.userId, 'owner'));
    await refused(await setRole(admin, admin.userId, 'owner'));
    expect(roleOf(trader.userId)).toBe('trader');
    expect(roleOf(admin.userId)).toBe('admin');
    expect(bannedAt(other.userId)).toBeNull();
  });

  it('may make a trader support (a role below its own) and ban a support', async () => {
    const trader = await createUser(backend, 'trader');
    expect((await setRole(admin, trader.userId, 'support')).statusCode).toBe(200);
    expect(roleOf(trader.userId)).toBe('support');
    expect((await act(admin, trader.userId, 'ban')).statusCode).toBe(200);
  });
});

describe('owners and self-actions', () => {
  it('an owner makes and unmakes admins; the last owner stays; nobody bans themselves', async () => {
    const trader = await createUser(backend, 'trader');
    expect((await setRole(owner, trader.userId, 'admin')).statusCode).toBe(200);
    expect((await setRole(owner, trader.userId, 'viewer')).statusCode).toBe(200);
    const last = await setRole(owner, owner.userId, 'admin');
    expect(last.statusCode).toBe(409);
    expect(last.json()).toMatchObject({ code: 'last_owner' });
    const self = await act(support, support.userId, 'ban');
    expect(self.statusCode).toBe(400);
    expect(bannedAt(support.userId)).toBeNull();
  });

  it('ranks every role: nobody outranks an owner, and no grant reaches the granter', () => {
    for (const actor of ROLES) {
      expect(mayActOn(actor, 'owner'), actor).toBe(actor === 'owner');
      expect(mayActOn(actor, actor), actor).toBe(actor === 'owner');
      expect(mayGrant(actor, actor), actor).toBe(actor === 'owner');
      expect(mayGrant(actor, 'admin'), actor).toBe(actor === 'owner');
    }
    expect(mayActOn('support', 'trader')).toBe(true);
    expect(mayActOn('support', 'auditor')).toBe(false);
    expect(mayActOn('admin', 'support')).toBe(true);
  });
});
