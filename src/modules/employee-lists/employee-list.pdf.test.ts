import { describe, expect, it } from 'vitest';
import { type EmployeeRow, MAX_EMPLOYEES } from '../../domain/employee-list.ts';
import { LOCALES } from '../../i18n/locale.ts';
import type { Party } from '../documents/documents.service.ts';
import { renderEmployeeListPdf } from './employee-list.pdf.ts';

const party = (name: string, inn: string): Party => ({
  name,
  inn,
  address: 'Toshkent sh.',
  bank_mfo: null,
  bank_account: null,
});

const row = (i: number): EmployeeRow => ({
  fullName: `Тошпўлатов Жасур Oʻktamovich ${i}`,
  position: 'Bosh muhandis yordamchisi',
  pinfl: String(31234567000000 + i),
  passport: i % 2 ? 'AA1234567' : null,
  phone: i % 3 ? '+998901234567' : null,
});

/** Pages of a pdfkit file (its page objects are not compressed). */
const pages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0;

describe('the employee list document', () => {
  const input = {
    id: 7n,
    account: '00014',
    supplier: party('Toshissiqquvvat', '201122334'),
    consumer: party('"Afrosiyob Print" QK', '305030222'),
    createdAt: new Date('2026-11-23T12:00:00Z'),
  };

  it('renders in the four languages, one page for a short list', async () => {
    for (const locale of LOCALES) {
      const pdf = await renderEmployeeListPdf({ ...input, rows: [row(1), row(2)], locale });
      expect(pdf.subarray(0, 5).toString(), locale).toBe('%PDF-');
      expect(pages(pdf), locale).toBe(1);
    }
  });

  it('breaks the largest list (2,000 rows) over pages', async () => {
    const rows = Array.from({ length: MAX_EMPLOYEES }, (_, i) => row(i));
    const pdf = await renderEmployeeListPdf({ ...input, rows, locale: 'ru' });
    expect(pages(pdf)).toBeGreaterThan(30);
  });
});
