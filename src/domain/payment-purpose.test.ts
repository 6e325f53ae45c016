import { describe, expect, it } from 'vitest';
import { contractDirectory, lookupNumbers, matchContract, purposeNumbers } from './payment-purpose.ts';

// The supplier's contracts for the table: 00014 and 00015 belong to consumers with one contract
// each, 00016 and 00017 to one consumer, TN-1042 to a household, and short numbers 123 and 20
// exist to show that invoice numbers and dates are not taken for them.
const directory = contractDirectory([
  { id: 14n, number: '00014', inn: '200828424' },
  { id: 15n, number: '00015', inn: '301222333' },
  { id: 16n, number: '00016', inn: '305555555' },
  { id: 17n, number: '00017', inn: '305555555' },
  { id: 1042n, number: 'TN-1042', inn: null },
  { id: 123n, number: '123', inn: null },
  { id: 20n, number: '20', inn: null },
]);

type Row = {
  purpose: string | null;
  inn?: string;
  account?: string;
  expect: string | { ambiguous: string[] } | null;
  by?: 'account' | 'purpose' | 'inn';
};

const TABLE: Row[] = [
  // Russian
  {
    purpose: 'Оплата за электроэнергию по договору № 00014 за октябрь 2026 г. В т.ч. НДС 12% 133928.63',
    expect: '00014',
    by: 'purpose',
  },
  { purpose: 'Оплата по л/с 00015 за ноябрь 2026г., без НДС', expect: '00015', by: 'purpose' },
  { purpose: 'Л/С:00014 оплата э/э', expect: '00014', by: 'purpose' },
  { purpose: 'Л.С. 00015 за э/энергию', expect: '00015', by: 'purpose' },
  { purpose: 'Оплата за э/э по дог.00015 от 01.01.2025', expect: '00015', by: 'purpose' },
  {
    purpose: 'лицевой счет 00016 оплата за электроэнергию',
    inn: '305555555',
    expect: '00016',
    by: 'purpose',
  },
  { purpose: 'Лиц.сч. №00017, оплата за ноябрь', expect: '00017', by: 'purpose' },
  { purpose: 'По контракту N 00014 от 10.01.2026', expect: '00014', by: 'purpose' },
  { purpose: 'договор №00014 и №00015', expect: { ambiguous: ['00014', '00015'] } },
  { purpose: 'Оплата по л/с 00014, 00015 за ноябрь', expect: { ambiguous: ['00014', '00015'] } },
  {
    purpose: 'Оплата по счету № 123 от 15.11.2026 за электроэнергию',
    inn: '200828424',
    expect: '00014',
    by: 'inn',
  },
  { purpose: 'Оплата по счет-фактуре № 00015 от 31.10.2026', expect: null },
  { purpose: 'Предоплата за декабрь 2026 г.', inn: '301222333', expect: '00015', by: 'inn' },
  { purpose: 'Оплата за электроэнергию', inn: '305555555', expect: { ambiguous: ['00016', '00017'] } },
  { purpose: 'Оплата за электроэнергию', expect: null },
  { purpose: 'л/с 99999 оплата', inn: '200828424', expect: '00014', by: 'inn' },
  { purpose: 'Оплата по ИНН 200828424 договор 00015', inn: '301222333', expect: '00015', by: 'purpose' },
  { purpose: 'Оплата 1 500 000 сум по 00014', expect: '00014', by: 'purpose' },
  { purpose: 'Оплата от 20.11.2026', expect: null },
  { purpose: 'Оплата 20% аванса', expect: null },
  { purpose: 'Оплата 123', expect: '123', by: 'purpose' },
  { purpose: 'р/с 20208000100500600700 МФО 00014 оплата', expect: null },
  // Uzbek, Latin script
  {
    purpose: "sh/h 00015 uchun elektr energiya to'lovi, noyabr 2026 QQS bilan",
    expect: '00015',
    by: 'purpose',
  },
  { purpose: 'Sh/x: 00014 elektr energiyasi', expect: '00014', by: 'purpose' },
  { purpose: "Shartnoma № 00014 bo'yicha elektr energiyasi uchun to'lov", expect: '00014', by: 'purpose' },
  { purpose: "00016-sonli shartnoma bo'yicha to'lov", expect: '00016', by: 'purpose' },
  { purpose: 'Hisob raqami: 00014. Elektr energiya uchun', expect: '00014', by: 'purpose' },
  { purpose: "Shaxsiy hisob raqami TN-1042 bo'yicha to'lov", expect: 'TN-1042', by: 'purpose' },
  { purpose: "00014 uchun to'lov", expect: '00014', by: 'purpose' },
  { purpose: '00014 va 00015 uchun', expect: { ambiguous: ['00014', '00015'] } },
  { purpose: "Elektr energiya uchun 250000 so'm", expect: null },
  { purpose: 'hisob-faktura 123 uchun', expect: null },
  // Uzbek, Cyrillic script
  { purpose: 'ш/х 00014 бўйича электр энергияси учун тўлов', expect: '00014', by: 'purpose' },
  { purpose: 'Шартнома № 00015 га асосан электр энергия учун, ҚҚС билан', expect: '00015', by: 'purpose' },
  { purpose: 'Шахсий ҳисоб рақами 00016 бўйича тўлов', expect: '00016', by: 'purpose' },
  { purpose: 'ш/ҳ: 00017, ноябрь 2026', expect: '00017', by: 'purpose' },
  { purpose: '00014-сонли шартнома бўйича', expect: '00014', by: 'purpose' },
  { purpose: 'Электр энергия учун тўлов 2026 йил ноябрь', inn: '200828424', expect: '00014', by: 'inn' },
  { purpose: 'ҳисоб-фактура № 123 бўйича тўлов', expect: null },
  // English
  { purpose: 'Payment for electricity, contract No. 00015', expect: '00015', by: 'purpose' },
  { purpose: 'Account 00014; invoice 123', expect: '00014', by: 'purpose' },
  { purpose: 'Account tn-1042', expect: 'TN-1042', by: 'purpose' },
  // The account column of a post registry
  { purpose: null, account: '00014', expect: '00014', by: 'account' },
  { purpose: null, account: ' 00015 ', expect: '00015', by: 'account' },
  { purpose: null, account: 'tn-1042', expect: 'TN-1042', by: 'account' },
  { purpose: null, account: 'л/с 00016', expect: '00016', by: 'purpose' },
  { purpose: null, account: '14', expect: null },
  { purpose: null, account: '99999', expect: null },
  { purpose: 'Оплата', inn: '20082842', expect: null },
];

describe('finding the contract of a bank or post payment', () => {
  it.each(TABLE)('$purpose $account (INN $inn)', (row) => {
    const result = matchContract(
      { purpose: row.purpose, payerInn: row.inn ?? null, account: row.account ?? null },
      directory,
    );
    if (row.expect === null) expect(result).toEqual({ kind: 'unmatched', reason: 'none', candidates: [] });
    else if (typeof row.expect === 'string')
      expect(result).toMatchObject({ kind: 'matched', contract: { number: row.expect }, by: row.by });
    else expect(result).toEqual({ kind: 'unmatched', reason: 'ambiguous', candidates: row.expect.ambiguous });
  });

  it('tells labelled numbers from bare ones and leaves dates, amounts and tax ids out', () => {
    expect(
      purposeNumbers('Оплата по договору № 00014 от 01.10.2026, сумма 1 250 000,50 сум, ИНН 200828424, 7781'),
    ).toEqual({ labelled: ['00014'], bare: ['7781'] });
    expect(purposeNumbers('Account 00014; invoice 123')).toEqual({ labelled: ['00014'], bare: [] });
    expect(purposeNumbers("00016-sonli shartnoma bo'yicha")).toEqual({ labelled: [], bare: ['00016'] });
    expect(purposeNumbers(null)).toEqual({ labelled: [], bare: [] });
  });

  it('lists every number to look up, as written and upper-cased', () => {
    expect(lookupNumbers({ account: 'tn-1042', purpose: 'л/с 00014' })).toEqual([
      'tn-1042',
      'TN-1042',
      '00014',
    ]);
  });
});
