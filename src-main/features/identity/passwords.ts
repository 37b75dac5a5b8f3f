import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../../src-shared/contract';

/** OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** Spends the same time as a real verification, for accounts that do not exist. */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword(crypto.randomBytes(18).toString('base64'));
  await verifyPassword(await dummy, password);
  return false;
}

/** The most used passwords of public breach corpora (top of the lists, lowercased). */
const COMMON = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty 12345 1234567 111111 1234567890 123123
  abc123 1234 password1 iloveyou 1q2w3e4r 000000 qwertyuiop 123321 monkey dragon 654321 666666
  123 1qaz2wsx 123qwe 987654321 1q2w3e4r5t password123 princess football baseball welcome
  sunshine master letmein shadow superman michael 123456a qazwsx trustno1 passw0rd admin
  admin123 administrator login starwars whatever freedom hello charlie donald batman zaq12wsx
  qwerty12 121212 aa123456 access flower mustang jordan23 123654 555555 lovely 7777777 888888
  1q2w3e 1qaz2wsx3edc qwe123 asdfghjkl asdfgh zxcvbnm 1111111111 0987654321 changeme secret
  password12 password1234 qwertyuiop123 iloveyou1 abcd1234 welcome1 welcome123 letmein123
  p@ssw0rd p@ssword passw0rd1 bitcoin ethereum exchange bourse bourse123 trading123
  1234512345 12341234 11111111 00000000 123456789a qwerty1234 q1w2e3r4t5 princess1
  sunshine1 football1 baseball1 monkey123 dragon123 master123 superman1 batman123 changeme1`
    .split(/\s+/)
    .filter(Boolean),
);

/** Refuses passwords found in breach lists or made of one repeated character or the email. */
export function assertAcceptablePassword(password: string, email?: string): void {
  const lower = password.toLowerCase();
  const local = email?.split('@')[0]?.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password) || (local && lower === local)) {
    throw new AppError(
      'password_too_common',
      'This password is among the most common ones and would be guessed quickly; choose another (a few unrelated words work well)',
    );
  }
}
