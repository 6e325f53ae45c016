import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', 'web', 'src', 'i18n');
const LANGS = ['uz', 'uz-Cyrl', 'ru', 'en'];

function flatten(o: Record<string, unknown>, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null
        ? Object.entries(flatten(v as Record<string, unknown>, `${prefix}${k}.`))
        : [[`${prefix}${k}`, String(v)]],
    ),
  );
}

// The office areas' files (office/<area>.json) hold all four languages, under the key `<area>.`.
const AREA_DIR = join(DIR, 'office');
const areas = Object.fromEntries(
  readdirSync(AREA_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(join(AREA_DIR, f), 'utf8'))]),
) as Record<string, Record<string, Record<string, unknown>>>;

const resources = Object.fromEntries(
  LANGS.map((l) => {
    const root = JSON.parse(readFileSync(join(DIR, `${l}.json`), 'utf8')) as Record<string, unknown>;
    for (const area of Object.keys(areas)) {
      if (area in root) throw new Error(`office/${area}.json clashes with the key ${area} of ${l}.json`);
      root[area] = areas[area]?.[l] ?? {};
    }
    return [l, flatten(root)];
  }),
);

describe('web UI translations', () => {
  it('has one file per language and no other', () => {
    expect(
      readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(LANGS.map((l) => `${l}.json`).sort());
  });

  it('lists every office area file in the web UI and gives each all four languages and nothing else', () => {
    const index = readFileSync(join(DIR, 'index.ts'), 'utf8');
    for (const [area, texts] of Object.entries(areas)) {
      expect(index, area).toContain(`from './office/${area}.json'`);
      expect(Object.keys(texts).sort(), area).toEqual([...LANGS].sort());
    }
  });

  it('translates every key in all four languages, none empty', () => {
    const keys = Object.keys(resources.uz ?? {}).sort();
    expect(keys.length).toBeGreaterThan(30);
    for (const l of LANGS) {
      expect(Object.keys(resources[l] ?? {}).sort(), l).toEqual(keys);
      for (const [k, v] of Object.entries(resources[l] ?? {})) expect(v.trim(), `${l}:${k}`).not.toBe('');
    }
  });

  it('writes Uzbek Cyrillic and Russian in Cyrillic, Uzbek Latin and English in Latin', () => {
    const cyrillic = /[\u0400-\u04FF]/;
    for (const key of ['login.title', 'nav.consumers', 'password.rules']) {
      expect(resources['uz-Cyrl']?.[key]).toMatch(cyrillic);
      expect(resources.ru?.[key]).toMatch(cyrillic);
      expect(resources.uz?.[key]).not.toMatch(cyrillic);
      expect(resources.en?.[key]).not.toMatch(cyrillic);
    }
  });

  it('names every staff role', () => {
    for (const role of ['admin', 'operator', 'inspector', 'clerk', 'accountant', 'lawyer', 'analyst']) {
      for (const l of LANGS) expect(resources[l]?.[`roles.${role}`], `${l} ${role}`).toBeTruthy();
    }
  });
});
