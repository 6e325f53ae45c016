/**
 * Finding the contract a bank or post payment is for, from what the payer wrote: the account
 * column of a post registry, a labelled number in the purpose text ("л/с 00014", "ш/х 00014",
 * "shartnoma № 00014", "договор №00014"), a bare token that is a contract number, and last the
 * payer's INN when that consumer has exactly one contract. Two different contracts at the same
 * step, or none at all, leave the payment unmatched for a person to decide: a payment is never
 * booked to a guessed account. Leading zeros are significant, as everywhere (contract numbers are
 * compared as written, then upper-cased).
 */

/** A contract as the matcher knows it. */
export type ContractRef = { id: bigint; number: string };

/** Lookups the matcher needs, answered from what the caller loaded for the whole file. */
export type ContractDirectory = {
  byNumber(number: string): ContractRef | undefined;
  byInn(inn: string): readonly ContractRef[];
};

/** How a payment was matched, or why not. */
export type ContractMatch =
  | { kind: 'matched'; contract: ContractRef; by: 'account' | 'purpose' | 'inn' }
  | { kind: 'unmatched'; reason: 'none' | 'ambiguous'; candidates: string[] };

/** Numbers found in a purpose text: after an account/contract label, and bare tokens elsewhere. */
export type PurposeNumbers = { labelled: string[]; bare: string[] };

// Words that announce the account or contract number, in Russian, Uzbek (Latin and Cyrillic) and
// English, with their usual abbreviations and case endings.
const ACCOUNT_LABELS = [
  // Russian
  'л\\s*/\\s*с(?:ч(?:ет|ёт|\\.)?)?',
  'л\\.\\s*с\\.?',
  'лс',
  'лиц(?:\\.|евой|евому|евого)?\\s*сч(?:ет|ёт|ету|ёту|ета|ёта|\\.)?',
  'дог(?:овор(?:у|а|е)?|\\.)?',
  'контракт(?:у|а)?',
  'абонент(?:ский)?(?:\\s+номер)?',
  // Uzbek, Latin script
  'sh\\s*/\\s*[hx]',
  'sh\\.\\s*[hx]\\.?',
  'shaxsiy\\s+hisob(?:i|\\s+raqami)?',
  'shartnoma(?:si|ga|\\s+raqami)?',
  'hisob\\s+raqami',
  'abonent(?:\\s+raqami)?',
  // Uzbek, Cyrillic script
  'ш\\s*/\\s*[хҳ]',
  'ш\\.\\s*[хҳ]\\.?',
  'шахсий\\s+[ҳх]исоб(?:и|\\s+ра[қк]ами)?',
  'шартнома(?:си|га|\\s+ра[қк]ами)?',
  '[ҳх]исоб\\s+ра[қк]ами',
  'абонент(?:\\s+ра[қк]ами)?',
  // English
  'account',
  'acc\\.?',
  'contract',
];

// Numbers that are something else: invoices, tax ids, bank codes, VAT.
const OTHER_LABELS = [
  'сч(?:ет|ёт)?[-\\s]*ф(?:актур[аеыу])?',
  'с\\s*/\\s*ф',
  'сч(?:ет|ёт|ету|ёту|\\.)',
  'hisob[-\\s]?faktura',
  '[ҳх]исоб[-\\s]?фактура',
  'invoice',
  'инн',
  'стир',
  'stir',
  'inn',
  'пинфл',
  'jshshir',
  'жшшир',
  'ндс',
  'qqs',
  'ққс',
  'vat',
  'мфо',
  'mfo',
  'р\\s*/\\s*с',
  'х\\s*/\\s*р',
  'h\\s*/\\s*r',
  'пп',
  'п/п',
];

const NOT_LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const NUMBER_MARK = '[\\s:.,№#-]*(?:(?:n|no|nr)\\.?\\s*)?[\\s№#:]*';
// A whole token (not the start of a longer one, nor of a date or decimal such as 15.11.2026).
const TOKEN = '[A-Za-z0-9][A-Za-z0-9-]{0,19}(?![A-Za-z0-9-]|[.,/]\\d)';
const LIST_SEP = '\\s*(?:,|;|(?<![\\p{L}])(?:и|va|and)(?![\\p{L}]))\\s*';

// Every number of a list has a digit, so a list stops before a following word ("…; invoice 123").
const NUMBER_TOKEN = `(?=[A-Za-z0-9-]*\\d)${TOKEN}`;
const LIST_ITEM = `(?:[№#]\\s*)?${NUMBER_TOKEN}`;

const LABELLED = new RegExp(
  `${NOT_LETTER_BEFORE}(?:${ACCOUNT_LABELS.join('|')})${NUMBER_MARK}(${NUMBER_TOKEN}(?:${LIST_SEP}${LIST_ITEM})*)`,
  'giu',
);
const OTHER_NUMBER = new RegExp(
  `${NOT_LETTER_BEFORE}(?:${OTHER_LABELS.join('|')})${NUMBER_MARK}${TOKEN}`,
  'giu',
);
const NOT_A_CONTRACT = [
  /\d{1,2}[./-]\d{1,2}[./-]\d{2,4}/g, // dates 20.11.2026, 01/11/26
  /\d{4}-\d{2}-\d{2}/g, // ISO dates
  /\d[\d\u00a0 ]*[.,]\d{1,2}(?!\d)/g, // amounts with decimals
  /\d[\d\u00a0 ]*\s*(?:сум|сўм|so['ʻ‘’]?m|sum|uzs)(?![\p{L}])/giu, // amounts with the currency
  /\d+(?:[.,]\d+)?\s*%/g, // rates
  /\d+\s*(?:квт|kvt|kwh|гкал|gkal)/giu, // quantities
];

/** The numbers in a purpose text: labelled ones, and the other tokens that could be contract numbers. */
export function purposeNumbers(text: string | null): PurposeNumbers {
  if (!text) return { labelled: [], bare: [] };
  const labelled: string[] = [];
  let rest = text.replace(LABELLED, (_all, list: string) => {
    for (const t of list.split(new RegExp(LIST_SEP, 'iu'))) {
      const token = cleanToken(t.replace(/^[№#]\s*/u, ''));
      if (token && /\d/.test(token)) labelled.push(token);
    }
    return ' ';
  });
  rest = rest.replace(OTHER_NUMBER, ' ');
  for (const re of NOT_A_CONTRACT) rest = rest.replace(re, ' ');
  const bare: string[] = [];
  for (const m of rest.matchAll(/(?<![\p{L}\p{N}])[A-Za-z0-9][A-Za-z0-9-]*(?![\p{L}\p{N}])/gu)) {
    const token = cleanToken(m[0]);
    if (token && /\d/.test(token) && token.length <= 20 && !looksLikeOtherNumber(token)) bare.push(token);
  }
  return { labelled: unique(labelled), bare: unique(bare.filter((t) => !labelled.includes(t))) };
}

/** Every number worth looking up for this payment (to load the directory for a whole file at once). */
export function lookupNumbers(p: { account?: string | null; purpose: string | null }): string[] {
  const n = purposeNumbers([p.account, p.purpose].filter(Boolean).join(' '));
  const all = [...(p.account ? [p.account.trim()] : []), ...n.labelled, ...n.bare];
  return unique(all.flatMap((t) => [t, t.toUpperCase()]));
}

/** Decides the contract of a payment (see the module comment for the order of the steps). */
export function matchContract(
  p: { account?: string | null; purpose: string | null; payerInn: string | null },
  directory: ContractDirectory,
): ContractMatch {
  const find = (t: string) => directory.byNumber(t) ?? directory.byNumber(t.toUpperCase());
  const account = p.account?.trim();
  if (account) {
    const found = find(account);
    if (found) return { kind: 'matched', contract: found, by: 'account' };
  }
  const numbers = purposeNumbers([account, p.purpose].filter(Boolean).join(' '));
  for (const tokens of [numbers.labelled, numbers.bare]) {
    const found = distinct(tokens.map(find));
    if (found.length === 1 && found[0]) return { kind: 'matched', contract: found[0], by: 'purpose' };
    if (found.length > 1)
      return { kind: 'unmatched', reason: 'ambiguous', candidates: found.map((c) => c.number) };
  }
  const inn = p.payerInn?.trim();
  if (inn && /^[0-9]{9}$/.test(inn)) {
    const found = distinct(directory.byInn(inn));
    if (found.length === 1 && found[0]) return { kind: 'matched', contract: found[0], by: 'inn' };
    if (found.length > 1)
      return { kind: 'unmatched', reason: 'ambiguous', candidates: found.map((c) => c.number) };
  }
  return { kind: 'unmatched', reason: 'none', candidates: [] };
}

/** A directory over loaded contracts: by number, and by the consumer's INN. */
export function contractDirectory(
  contracts: readonly (ContractRef & { inn: string | null })[],
): ContractDirectory {
  const byNumber = new Map(contracts.map((c) => [c.number, { id: c.id, number: c.number }]));
  const byInn = new Map<string, ContractRef[]>();
  for (const c of contracts) {
    if (c.inn) byInn.set(c.inn, [...(byInn.get(c.inn) ?? []), { id: c.id, number: c.number }]);
  }
  return { byNumber: (n) => byNumber.get(n), byInn: (inn) => byInn.get(inn) ?? [] };
}

/** Trims hyphens, and an Uzbek word suffix such as "-sonli" ("00016-sonli shartnoma"). */
function cleanToken(t: string): string {
  return t
    .trim()
    .replace(/-[a-z]+$/, '')
    .replace(/^-+|-+$/g, '');
}

/** Bank accounts (20 digits), PINFL (14), INN (9) and years are not contract numbers. */
function looksLikeOtherNumber(token: string): boolean {
  if (/^\d+$/.test(token) && [9, 14, 20].includes(token.length)) return true;
  if (/^\d{20,}$/.test(token)) return true;
  return /^(19|20)\d\d$/.test(token);
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function distinct(refs: readonly (ContractRef | undefined)[]): ContractRef[] {
  const out = new Map<bigint, ContractRef>();
  for (const r of refs) if (r) out.set(r.id, r);
  return [...out.values()];
}
