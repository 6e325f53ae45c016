import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../i18n/locale.ts';
import { ERROR_CODES, isKnownCode } from './error-codes.ts';

const SRC = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('error codes', () => {
  it('gives every code the code base throws a status and a message in all four languages', () => {
    const thrown = new Set<string>();
    for (const file of sources(SRC)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/new AppError\(\s*'([A-Z_]+)'/g))
        thrown.add(m[1] ?? '');
      for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([A-Z][A-Z_]+)'/g)) {
        if ((m[1] ?? '').includes('_')) thrown.add(m[1] ?? '');
      }
    }
    expect(thrown.size).toBeGreaterThan(20);
    expect([...thrown].filter((c) => !isKnownCode(c)).sort()).toEqual([]);
  });

  it('writes every message in every language, with a 4xx or 5xx status', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      expect(spec.status >= 400 && spec.status < 600, code).toBe(true);
      for (const l of LOCALES) expect(spec[l].trim(), `${code} ${l}`).not.toBe('');
    }
  });
});
