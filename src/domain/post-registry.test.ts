import { describe, expect, it } from 'vitest';
import { encodeSingleByte } from './fixtures/bank-statement.ts';
import { parseMoney } from './money.ts';
import { decodeRegistryText } from './payment-file.ts';
import { parseCsv, parsePostRegistry, type RegistryRow } from './post-registry.ts';

const REGISTRY_RU = [
  'Реестр платежей № 1187 от 20.11.2026, отделение связи 100011',
  '',
  'Дата;№ реестра;№ квитанции;Лицевой счет;ФИО плательщика;Сумма, сум',
  '20.11.2026;1187;000451;00014;Каримов Алишер;125 000,50',
  '20.11.2026;1187;000452;00015;"Юсупова ""Нодира"" Б.";98000',
  '20.11.2026;1187;000453;99999;Ли Вера;15000.00',
  'Итого;;;;;238 000,50',
].join('\r\n');

function lines(rows: RegistryRow[]) {
  const result = parsePostRegistry(rows);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe('post office registries', () => {
  it('reads a UTF-8 CSV with a title row, a header, receipts and a totals row', () => {
    const read = lines(parseCsv(decodeRegistryText(new TextEncoder().encode(REGISTRY_RU))));
    expect(read).toEqual([
      {
        line: 4,
        externalId: '1187-000451',
        paidOn: '2026-11-20',
        amount: parseMoney('125000.50'),
        account: '00014',
        payer: 'Каримов Алишер',
        payerInn: null,
        purpose: null,
      },
      expect.objectContaining({ line: 5, externalId: '1187-000452', payer: 'Юсупова "Нодира" Б.' }),
      expect.objectContaining({ line: 6, externalId: '1187-000453', amount: parseMoney('15000.00') }),
    ]);
  });

  it('reads a Windows-1251 CSV separated by commas, in Uzbek, without receipt numbers', () => {
    const text = [
      'Sana,Reestr raqami,Shaxsiy hisob raqami,F.I.Sh.,Summa',
      '2026-11-20,77,00014,"Karimov, Alisher",50000',
      '2026-11-20,77,TN-1042,Тошматов Ўткир,"1 200,00"',
    ].join('\n');
    const read = lines(parseCsv(decodeRegistryText(encodeSingleByte(text))));
    expect(read.map((l) => [l.line, l.externalId, l.account, l.payer, l.amount])).toEqual([
      [2, '77-L2', '00014', 'Karimov, Alisher', parseMoney('50000')],
      [3, '77-L3', 'TN-1042', 'Тошматов Ўткир', parseMoney('1200.00')],
    ]);
  });

  it('takes XLSX cells as read: date cells and numbers as their exact text', () => {
    const rows: RegistryRow[] = [
      { line: 1, cells: ['Сана', 'Реестр', 'Квитанция', 'Ш/Х', 'Тўловчи', 'Сумма'] },
      { line: 2, cells: [new Date(Date.UTC(2026, 10, 20)), '15', '9', '00015', null, '98000.5'] },
    ];
    expect(lines(rows)).toEqual([
      {
        line: 2,
        externalId: '15-9',
        paidOn: '2026-11-20',
        amount: parseMoney('98000.50'),
        account: '00015',
        payer: null,
        payerInn: null,
        purpose: null,
      },
    ]);
  });

  it('names the line of every bad row and takes nothing', () => {
    const text = [
      'Дата;Реестр;Квитанция;Л/С;Сумма',
      '31.11.2026;5;1;00014;100',
      '20.11.2026;5;2;;100',
      '20.11.2026;5;3;00015;-5',
      '20.11.2026;5;4;00015;12.345',
      '20.11.2026;5;5;00016;1e3',
      '20.11.2026;5;6;00016;100',
      '20.11.2026;5;6;00017;100',
    ].join('\n');
    const result = parsePostRegistry(parseCsv(text));
    expect(result.ok ? [] : result.problems.map((p) => [p.line, p.code, p.value])).toEqual([
      [2, 'date', '31.11.2026'],
      [3, 'missing_field', 'account'],
      [4, 'amount', '-5'],
      [5, 'amount', '12.345'],
      [6, 'amount', '1e3'],
      [8, 'duplicate_in_file', '5-6'],
    ]);
  });

  it('asks for the columns it needs', () => {
    const result = parsePostRegistry(
      parseCsv('Дата;Реестр;Лицевой счет;Плательщик\n20.11.2026;5;00014;Ли\n'),
    );
    expect(result).toMatchObject({
      ok: false,
      problems: [{ line: 1, code: 'missing_column', value: 'amount' }],
    });
    expect(parsePostRegistry(parseCsv('hello;world\n'))).toMatchObject({
      ok: false,
      problems: [{ line: 1, code: 'missing_column' }],
    });
    expect(parsePostRegistry([])).toMatchObject({ ok: false, problems: [{ code: 'empty' }] });
    expect(parsePostRegistry(parseCsv('Дата;Реестр;Л/С;Сумма\n'))).toMatchObject({
      ok: false,
      problems: [{ code: 'empty' }],
    });
  });

  it('keeps a quoted field spanning lines on the line where its row starts', () => {
    expect(parseCsv('a;b\n1;"x\ny"\n2;z')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x\ny'] },
      { line: 4, cells: ['2', 'z'] },
    ]);
  });
});
