import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { AppError } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { recoveryCodes } from '../../db/schema';
import type { SecretStore } from '../../secrets/secret-store';
import { decrypt, encrypt, sha256 } from './crypto';
import type { UserDirectory, UserRow } from './users';

const DATA_KEY_NAME = 'identity.data-key';
const PERIOD = 30;
const RECOVERY_COUNT = 10;

/** Bourse's TOTP settings (exported so the RFC 6238 vectors test exactly these). */
export function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Bourse',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** `abcde-fghij`: 50 random bits, easy to type; stored as a SHA-256. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const normalizeRecovery = (code: string) =>
  code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * TOTP (RFC 6238, SHA-1, 6 digits, 30 s, ±1 step). The secret is sealed with AES-256-GCM
 * under a data key kept in the secret store, so neither the database file nor its WAL
 * holds it in clear. A code's time step must be newer than the last accepted one.
 */
export class TwoFactor {
  private dataKey?: Buffer;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly users: UserDirectory,
    private readonly secrets: SecretStore,
    private readonly now: () => number,
  ) {}

  private async key(): Promise<Buffer> {
    if (this.dataKey) return this.dataKey;
    if (this.secrets.kind === 'unavailable') {
      throw new AppError('secrets_unavailable', this.secrets.description, undefined, 503);
    }
    let stored = await this.secrets.get(DATA_KEY_NAME);
    if (!stored) {
      stored = crypto.randomBytes(32).toString('base64');
      await this.secrets.set(DATA_KEY_NAME, stored);
    }
    this.dataKey = Buffer.from(stored, 'base64');
    return this.dataKey;
  }

  /** A fresh secret for enrolment, stored sealed as pending. */
  async begin(user: UserRow): Promise<{ secret: string; uri: string; qrSvg: string }> {
    if (user.totpEnabled) throw new AppError('conflict', 'Two-factor authentication is already on');
    const key = await this.key();
    const secret = new Secret({ size: 20 }).base32;
    this.users.update(user.id, { totpPendingEnc: encrypt(key, secret, `totp:${user.id}`) });
    const uri = totpFor(secret, user.email).toString();
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return { secret, uri, qrSvg };
  }

  private async secretOf(user: UserRow, pending: boolean): Promise<string | undefined> {
    const sealed = pending ? user.totpPendingEnc : user.totpSecretEnc;
    if (!sealed) return undefined;
    return decrypt(await this.key(), sealed, `totp:${user.id}`);
  }

  /** The accepted time step of a TOTP code, or undefined (wrong, or already used). */
  private async acceptedStep(user: UserRow, code: string, pending: boolean) {
    const secret = await this.secretOf(user, pending);
    if (!secret || !/^[0-9]{6}$/.test(code)) return undefined;
    const timestamp = this.now();
    const delta = totpFor(secret, user.email).validate({ token: code, timestamp, window: 1 });
    if (delta === null) return undefined;
    const step = Math.floor(timestamp / 1000 / PERIOD) + delta;
    if (user.totpLastStep !== null && step <= user.totpLastStep) return undefined;
    return step;
  }

  /** The time step of a valid code for the pending enrolment (throws when it is wrong). */
  async checkPending(user: UserRow, code: string): Promise<number> {
    if (user.totpEnabled) throw new AppError('conflict', 'Two-factor authentication is already on');
    if (!user.totpPendingEnc) throw new AppError('bad_request', 'Start enrolment first');
    const step = await this.acceptedStep(user, code, true);
    if (step === undefined)
      throw new AppError('invalid_code', 'That code is not valid', undefined, 403);
    return step;
  }

  /** Turns 2FA on with the pending secret and stores the recovery codes' hashes. */
  enableInTx(user: UserRow, step: number, codes: string[]): void {
    this.users.update(user.id, {
      totpEnabled: true,
      totpSecretEnc: user.totpPendingEnc,
      totpPendingEnc: null,
      totpLastStep: step,
    });
    this.replaceCodes(user.id, codes);
  }

  replaceCodes(userId: string, codes: string[]): void {
    this.store.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
    if (codes.length === 0) return;
    this.store.db
      .insert(recoveryCodes)
      .values(codes.map((c) => ({ userId, codeHash: sha256(normalizeRecovery(c)) })))
      .run();
  }

  newCodes(): string[] {
    return Array.from({ length: RECOVERY_COUNT }, newRecoveryCode);
  }

  /** Checks a TOTP code or a recovery code and consumes it. */
  async verify(user: UserRow, code: string): Promise<boolean> {
    if (!user.totpEnabled) return false;
    const step = await this.acceptedStep(user, code.trim(), false);
    if (step !== undefined) {
      // Re-read after the await: a parallel request may have spent this step meanwhile.
      const last = this.users.get(user.id)?.totpLastStep ?? null;
      if (last !== null && step <= last) return false;
      this.users.update(user.id, { totpLastStep: step });
      return true;
    }
    const hash = sha256(normalizeRecovery(code));
    const used = this.store.db
      .update(recoveryCodes)
      .set({ tsUsed: this.now() })
      .where(
        and(
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, hash),
          isNull(recoveryCodes.tsUsed),
        ),
      )
      .run().changes;
    return used > 0;
  }

  disableInTx(userId: string): void {
    this.users.update(userId, {
      totpEnabled: false,
      totpSecretEnc: null,
      totpPendingEnc: null,
      totpLastStep: null,
    });
    this.replaceCodes(userId, []);
  }
}
