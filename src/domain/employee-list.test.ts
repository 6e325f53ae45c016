import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkEmployeeList,
  checkEmployeeRow,
  EMPLOYEE_FIELDS,
  type EmployeeRowInput,
  MAX_EMPLOYEES,
  parseCsv,
  parseEmployeeCsv,
  toEmployeeCsv,
} from './employee-list.ts';

const good = (over: EmployeeRowInput = {}): EmployeeRowInput => ({
  fullName: 'Karimov Aziz Baxtiyorovich',
  position: 'Bosh muhandis',
  pinfl: '31234567890123',
  passport: 'AA1234567',
  phone: '+998901234567',
  ...over,
});

const codes = (input: EmployeeRowInput) =>
  checkEmployeeRow(input, 1).errors.map((e) => `${e.field}:${e.code}`);

describe('an employee row (procedure No. 1031)', () => {
  it('takes a full row and one with only the required fields', () => {
    expect(codes(good())).toEqual([]);
    expect(codes({ fullName: 'Ali', position: 'Qorovul', pinfl: '31234567890123' })).toEqual([]);
    expect(checkEmployeeRow(good({ passport: '', phone: '  ' }), 1).value).toMatchObject({
      passport: null,
      phone: null,
    });
  });

  it('cleans what people type: spaces, a lower-case passport, a phone with brackets and dashes', () => {
    const { value, errors } = checkEmployeeRow(
      good({
        fullName: '  Karimova   Dilnoza\tOʻktamovna ',
        pinfl: '3123 4567 8901 23',
        passport: 'aa 1234567',
        phone: '+998 (90) 123-45-67',
      }),
      7,
    );
    expect(errors).toEqual([]);
    expect(value).toEqual({
      fullName: 'Karimova Dilnoza Oʻktamovna',
      position: 'Bosh muhandis',
      pinfl: '31234567890123',
      passport: 'AA1234567',
      phone: '+998901234567',
    });
    expect(checkEmployeeRow(good({ phone: '998901234567' }), 1).value.phone).toBe('+998901234567');
  });

  it('names the field and the reason of each refusal', () => {
    expect(codes({})).toEqual(['fullName:required', 'position:required', 'pinfl:required']);
    expect(codes(good({ fullName: 'Al' }))).toEqual(['fullName:too_short']);
    expect(codes(good({ fullName: 'A'.repeat(201) }))).toEqual(['fullName:too_long']);
    expect(codes(good({ fullName: 'A'.repeat(200) }))).toEqual([]);
    expect(codes(good({ position: 'P'.repeat(201) }))).toEqual(['position:too_long']);
    expect(codes(good({ fullName: 'Ali\u0000 Vali' }))).toEqual(['fullName:format']);
    for (const pinfl of ['3123456789012', '312345678901234', '3123456789012X', '3.12346E+13'])
      expect(codes(good({ pinfl })), pinfl).toEqual(['pinfl:format']);
    for (const passport of ['A1234567', 'AA123456', 'AA12345678', 'ÀA1234567', '12AAAAAAA'])
      expect(codes(good({ passport })), passport).toEqual(['passport:format']);
    for (const phone of ['+99890123456', '+7901234567', '901234567', '+998 90 123 45 678'])
      expect(codes(good({ phone })), phone).toEqual(['phone:format']);
  });

  it('counts characters as the database does (a name of 200 Cyrillic or emoji characters fits)', () => {
    expect(codes(good({ fullName: 'Ж'.repeat(200) }))).toEqual([]);
    expect(codes(good({ fullName: '😀'.repeat(200) }))).toEqual([]);
    expect(codes(good({ fullName: '😀'.repeat(201) }))).toEqual(['fullName:too_long']);
  });
});

describe('an employee list', () => {
  it('holds 1 to 2,000 rows', () => {
    expect(checkEmployeeList([])).toEqual({ ok: false, errors: [{ row: 0, field: 'list', code: 'empty' }] });
    const many = Array.from({ length: MAX_EMPLOYEES + 1 }, (_, i) =>
      good({ pinfl: String(31234567000000 + i) }),
    );
    expect(checkEmployeeList(many)).toEqual({
      ok: false,
      errors: [{ row: 0, field: 'list', code: 'too_many' }],
    });
    const check = checkEmployeeList(many.slice(0, MAX_EMPLOYEES));
    expect(check.ok && check.rows.length).toBe(MAX_EMPLOYEES);
  });

  it('refuses a PINFL given twice, marking the later rows, and reports every bad row', () => {
    const check = checkEmployeeList([
      good(),
      good({ fullName: 'X' }),
      good({ pinfl: '3123 4567 8901 23' }),
      good({ pinfl: '41234567890123', phone: '123' }),
    ]);
    expect(check).toEqual({
      ok: false,
      errors: [
        { row: 2, field: 'fullName', code: 'too_short' },
        { row: 2, field: 'pinfl', code: 'duplicate' },
        { row: 3, field: 'pinfl', code: 'duplicate' },
        { row: 4, field: 'phone', code: 'format' },
      ],
    });
  });

  it('either returns every row cleaned or at least one error (property)', () => {
    const field = fc.option(fc.string({ maxLength: 30 }), { nil: undefined });
    const row = fc.record(
      Object.fromEntries(EMPLOYEE_FIELDS.map((f) => [f, field])) as Record<
        (typeof EMPLOYEE_FIELDS)[number],
        typeof field
      >,
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const check = checkEmployeeList(rows);
        if (check.ok) {
          expect(check.rows).toHaveLength(rows.length);
          expect(new Set(check.rows.map((r) => r.pinfl)).size).toBe(rows.length);
        } else expect(check.errors.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('the CSV import', () => {
  const HEADER = ['F.I.Sh.', 'Lavozimi', 'JShShIR', 'Pasport', 'Telefon'];

  it('reads a file as Excel saves it: BOM, semicolons, quotes, CRLF, a header line, blank lines', () => {
    const text =
      '\ufeffF.I.Sh.;Lavozimi;JShShIR;Pasport;Telefon\r\n' +
      '"Karimov; Aziz";"Bosh ""katta"" muhandis";31234567890123;AA1234567;+998901234567\r\n' +
      '\r\n' +
      'Qodirova Malika;Hisobchi;41234567890123;;\r\n';
    expect(parseEmployeeCsv(text)).toEqual([
      {
        fullName: 'Karimov; Aziz',
        position: 'Bosh "katta" muhandis',
        pinfl: '31234567890123',
        passport: 'AA1234567',
        phone: '+998901234567',
      },
      { fullName: 'Qodirova Malika', position: 'Hisobchi', pinfl: '41234567890123', passport: '', phone: '' },
    ]);
  });

  it('reads a file without a header, with commas and a line break inside quotes', () => {
    const rows = parseEmployeeCsv('"Ali\nVali",Qorovul,31234567890123\n');
    expect(rows).toEqual([
      { fullName: 'Ali\nVali', position: 'Qorovul', pinfl: '31234567890123', passport: '', phone: '' },
    ]);
    expect(checkEmployeeList(rows)).toMatchObject({ ok: true, rows: [{ fullName: 'Ali Vali' }] });
    expect(parseCsv('a\tb\tc\n1\t2\t3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads back what it writes (property)', () => {
    const cell = fc.string({ maxLength: 12 }).map((s) => s.trim());
    const row = fc
      .tuple(cell, cell, fc.stringMatching(/^[0-9]{14}$/), cell, cell)
      .map(([fullName, position, pinfl, passport, phone]) => ({
        fullName,
        position,
        pinfl,
        passport,
        phone,
      }));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), (rows) => {
        expect(parseEmployeeCsv(toEmployeeCsv(rows, HEADER))).toEqual(rows);
      }),
    );
  });
});
