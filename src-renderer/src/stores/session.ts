import { create } from 'zustand';
import type { OperationInput, OperationName, OperationOutput } from '../../../src-shared/contract';
import { client } from '../client/client';
import { ClientError } from '../client/transport';

type Tokens = OperationOutput<'auth.refresh'>;
export type SessionUser = Tokens['user'];

export type SessionStatus = 'loading' | 'setup' | 'signed-out' | 'two-factor' | 'signed-in';

/**
 * Where the refresh token lives. The access token is only ever in memory. Desktop (IPC):
 * the refresh token stays in memory too — closing the window signs out. Browser: it goes to
 * sessionStorage so a reload of the tab keeps you signed in; it is scoped to the tab, not
 * shared with other tabs, and cleared when the tab closes. Rotation on every use and reuse
 * detection limit what a stolen copy is worth.
 */
const KEY = 'bourse.refresh';
const persist = client.transport.kind === 'http';
const storeRefresh = (token: string | undefined) => {
  if (!persist) return;
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
};

interface SessionState {
  status: SessionStatus;
  user?: SessionUser;
  refreshToken?: string;
  accessExpiresAt?: number;
  challenge?: string;
  /** The setup token of a headless first-run link (`#/setup?token=…`). */
  setupToken?: string;
  init(): Promise<void>;
  apply(tokens: Tokens): void;
  login(email: string, password: string): Promise<void>;
  verifyTwoFactor(code: string): Promise<void>;
  createOwner(email: string, password: string): Promise<void>;
  refresh(): Promise<boolean>;
  logout(): Promise<void>;
  signedOut(): void;
}

let timer: ReturnType<typeof setTimeout> | undefined;

function setupTokenFromHash(): string | undefined {
  const m = /^#\/setup\?(.*)$/.exec(window.location.hash);
  return m ? (new URLSearchParams(m[1]).get('token') ?? undefined) : undefined;
}

/** The signed-in user and their tokens; refreshes a minute before the access token expires. */
export const useSession = create<SessionState>((set, get) => ({
  status: 'loading',
  async init() {
    const setupToken = setupTokenFromHash();
    try {
      const status = await client.call('auth.status', {});
      if (status.setupRequired) return set({ status: 'setup', setupToken });
    } catch {
      return set({ status: 'signed-out' });
    }
    const saved = persist ? (sessionStorage.getItem(KEY) ?? undefined) : undefined;
    if (saved) {
      set({ refreshToken: saved });
      if (await get().refresh()) return;
    }
    set({ status: 'signed-out' });
  },
  apply(tokens) {
    client.setToken(tokens.accessToken);
    storeRefresh(tokens.refreshToken);
    set({
      status: 'signed-in',
      user: tokens.user,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: tokens.accessExpiresAt,
      challenge: undefined,
    });
    clearTimeout(timer);
    const inMs = Math.max(5_000, tokens.accessExpiresAt - Date.now() - 60_000);
    timer = setTimeout(() => void get().refresh(), inMs);
  },
  async login(email, password) {
    const result = await client.call('auth.login', { email, password });
    if (result.status === 'ok') get().apply(result.session);
    else set({ status: 'two-factor', challenge: result.challenge });
  },
  async verifyTwoFactor(code) {
    const challenge = get().challenge;
    if (!challenge) return set({ status: 'signed-out' });
    get().apply(await client.call('auth.verifyTwoFactor', { challenge, code }));
  },
  async createOwner(email, password) {
    const tokens = await client.call('setup.createOwner', {
      email,
      password,
      ...(get().setupToken ? { setupToken: get().setupToken } : {}),
    });
    window.location.hash = '/trade';
    get().apply(tokens);
  },
  async refresh() {
    const refreshToken = get().refreshToken;
    if (!refreshToken) return false;
    try {
      get().apply(await client.call('auth.refresh', { refreshToken }));
      return true;
    } catch {
      get().signedOut();
      return false;
    }
  },
  async logout() {
    try {
      await client.call('auth.logout', {});
    } finally {
      get().signedOut();
    }
  },
  signedOut() {
    clearTimeout(timer);
    client.setToken(undefined);
    storeRefresh(undefined);
    set({ status: 'signed-out', user: undefined, refreshToken: undefined, challenge: undefined });
  },
}));

/** A call that refreshes the session once and retries when the access token was refused. */
export async function call<N extends OperationName>(
  name: N,
  input: OperationInput<N>,
): Promise<OperationOutput<N>> {
  try {
    return await client.call(name, input);
  } catch (err) {
    if (!(err instanceof ClientError) || err.code !== 'unauthenticated') throw err;
    if (!(await useSession.getState().refresh())) throw err;
    return client.call(name, input);
  }
}

/** A readable message for any error a call can throw. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
