import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../domain/errors.ts';

// Argon2id with the OWASP-recommended minimum (19 MiB, 2 passes): fast enough for a login form.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with Argon2id (PHC string). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when `password` matches the PHC hash; false for a malformed hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** Throws AUTH_WEAK_PASSWORD unless the password has ≥ 10 characters with letters and digits. */
export function assertStrongPassword(password: string): void {
  const ok =
    password.length >= 10 && password.length <= 200 && /\p{L}/u.test(password) && /\p{Nd}/u.test(password);
  if (!ok) throw new AppError('AUTH_WEAK_PASSWORD', 'Password needs ≥ 10 characters with letters and digits');
}
