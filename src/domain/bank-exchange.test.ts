import { describe, expect, it } from 'vitest';
import {
  type BankStatement,
  looksLikeBankExchange,
  parseBankExchange,
  statementPayments,
} from './bank-exchange.ts';
import { encodeSingleByte, statementText } from './fixtures/bank-statement.ts';
import { parseMoney } from './money.ts';

const SUPPLIER = '20210000900123456001';

function parsed(text: string, encoding: 'windows-1251' | 'ibm866' = 'windows-1251'): BankStatement {
  const result = parseBankExchange(encodeSingleByte(text, encoding));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe('1CClientBankExchange statements', () => {
  it('reads the header, the account section and every document of a Windows-1251 file', () => {
    const s = parsed(statementText({ account: SUPPLIER }));
    expect(s).toMatchObject({
      formatVersion: '1.03',
      encoding: 'Windows',
      sender: 'Ipoteka-bank',
      accounts: [SUPPLIER],
      from: '2026-11-20',
      to: '2026-11-20',
    });
    expect(s.sections).toEqual([
      {
        account: SUPPLIER,
        from: '2026-11-20',
        to: '2026-11-20',
        opening: parseMoney('1000000.00'),
        incoming: parseMoney('3625000.50'),
        outgoing: parseMoney('250000.00'),
        closing: parseMoney('4375000.50'),
      },
    ]);
    expect(s.documents).toHaveLength(4);
    expect(s.documents[0]).toEqual({
      line: 21,
      kind: 'Платежное поручение',
      number: '245',
      date: '2026-11-19',
      receivedOn: '2026-11-20',
      amount: parseMoney('1250000.50'),
      payer: {
        name: '"ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ" АЖ',
        inn: '200828424',
        account: '20210000400100200300',
        mfo: '00440',
      },
      recipient: { name: 'Hududiy elektr tarmoqlari AJ', inn: '301000001', account: SUPPLIER, mfo: '00873' },
      purpose: 'Оплата за электроэнергию по договору № 00014 за октябрь 2026 г. В т.ч. НДС 12% 133928.63',
    });
  });

  it('takes the payments to the supplier and skips outgoing documents and other accounts', () => {
    const { lines, skipped, problems } = statementPayments(
      parsed(statementText({ account: SUPPLIER })),
      SUPPLIER,
    );
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.line, l.externalId, l.paidOn, l.amount, l.payerInn])).toEqual([
      [21, '00440-20210000400100200300-245-20261119', '2026-11-20', parseMoney('1250000.50'), '200828424'],
      [39, '00014-20208000100500600700-17-20261120', '2026-11-20', parseMoney('2375000.00'), '301222333'],
    ]);
    expect(lines[1]?.purpose).toBe("sh/h 00015 uchun elektr energiya to'lovi, noyabr 2026 QQS bilan");
    expect(skipped).toEqual([
      { line: 56, number: '88', amount: parseMoney('250000.00'), reason: 'outgoing' },
      { line: 73, number: '3', amount: parseMoney('99.99'), reason: 'other_account' },
    ]);
  });

  it('reads a DOS (CP866) file the same way', () => {
    const s = parsed(statementText({ account: SUPPLIER, encoding: 'DOS' }), 'ibm866');
    expect(s.encoding).toBe('DOS');
    expect(s.documents[0]?.payer.name).toBe('"ЎЗБЕКИСТОН ТЕМИР ЙЎЛЛАРИ" АЖ');
  });

  it('recognises the format by its first line', () => {
    expect(looksLikeBankExchange(encodeSingleByte(statementText({ account: SUPPLIER })))).toBe(true);
    expect(looksLikeBankExchange(new TextEncoder().encode('Дата;Сумма\n'))).toBe(false);
  });

  it('refuses a file that is not a 1C exchange file', () => {
    expect(parseBankExchange(new TextEncoder().encode('\nHello\n'))).toEqual({
      ok: false,
      problems: [{ line: 2, code: 'format', message: 'The file does not start with 1CClientBankExchange' }],
    });
  });

  it('names the line of every problem and takes nothing', () => {
    const text = statementText({ account: SUPPLIER })
      .replace('Дата=19.11.2026', 'Дата=31.11.2026')
      .replace('Сумма=2375000.00', 'Сумма=2375000.001')
      .replace('Номер=88\r\n', '')
      .replace('КонецФайла', '');
    const result = parseBankExchange(encodeSingleByte(text));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.code, p.value])).toEqual([
      [21, 'date', '31.11.2026'],
      [39, 'amount', '2375000.001'],
      [56, 'missing_field', 'Номер'],
      [88, 'structure', undefined],
    ]);
  });

  it('reports a section that is not closed before the next one', () => {
    const full = statementText({ account: SUPPLIER });
    const end = full.indexOf('КонецДокумента\r\n', full.indexOf('Номер=88'));
    const text = full.slice(0, end) + full.slice(end + 'КонецДокумента\r\n'.length);
    const result = parseBankExchange(encodeSingleByte(text));
    expect(result.ok ? [] : result.problems.map((p) => [p.line, p.code])).toEqual([[56, 'structure']]);
  });

  it('never reads an amount through a float', () => {
    for (const [text, tiyin] of [
      ['1500000', 150_000_000n],
      ['0.1', 10n],
      ['123456789012.34', 12_345_678_901_234n],
      ['9007199254740993.01', 900_719_925_474_099_301n],
      ['70,05', 7005n],
    ] as const) {
      const s = parsed(statementText({ account: SUPPLIER }).replace('Сумма=1250000.50', `Сумма=${text}`));
      expect(s.documents[0]?.amount).toBe(tiyin);
    }
  });

  it('joins a purpose continued over НазначениеПлатежа1', () => {
    const s = parsed(
      statementText({ account: SUPPLIER }).replace(
        'НазначениеПлатежа=Возврат излишне перечисленных средств',
        'НазначениеПлатежа=Возврат излишне\r\nНазначениеПлатежа1=перечисленных средств',
      ),
    );
    expect(s.documents[2]?.purpose).toBe('Возврат излишне перечисленных средств');
  });

  it('refuses the same document twice in one file', () => {
    const text = statementText({ account: SUPPLIER });
    const first = text.indexOf('СекцияДокумент');
    const doc = text.slice(first, text.indexOf('СекцияДокумент', first + 1));
    const twice = text.replace('КонецФайла', `${doc}КонецФайла`);
    const { problems } = statementPayments(parsed(twice), SUPPLIER);
    expect(problems.map((p) => [p.line, p.code])).toEqual([[90, 'duplicate_in_file']]);
  });
});
