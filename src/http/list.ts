import type { FastifyReply } from 'fastify';
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import { z } from 'zod';
import { LOCALES, type Locale } from '../i18n/locale.ts';
import { sendFile } from './files.ts';

/**
 * The query of an office table: a page (`limit`, `offset`), one sort column of `sortable` and its
 * direction, and `format=xlsx` for the whole filtered list as a workbook (`lang` for its headers).
 * Routes extend it with their own filters: `listQuery(['name', 'date']).extend({ status: … })`.
 */
export function listQuery<const S extends readonly [string, ...string[]]>(
  sortable: S,
  defaultSort: S[number],
) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    sort: z.enum(sortable).default(defaultSort as never),
    dir: z.enum(['asc', 'desc']).default('asc'),
    format: z.enum(['json', 'xlsx']).default('json'),
    lang: z.enum(LOCALES).optional(),
  });
}

/** The most rows an XLSX export carries (a larger list is refused: filter it first). */
export const XLSX_MAX_ROWS = 100_000;

/** A page of an office table as JSON. */
export type ListPage<T> = { items: T[]; total: number };

/** The JSON schema of a page of `item`. */
export function ZListPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** A column of an exported table: its header in the four languages and how a row fills it. */
export type XlsxColumn<R> = {
  header: Record<Locale, string>;
  /** Text (default), a whole number, money as the API writes it ("1234.56" so'm), or a date 'YYYY-MM-DD'. */
  type?: 'text' | 'number' | 'money' | 'date';
  value: (row: R) => string | number | bigint | null | undefined;
  width?: number;
};

function cell<R>(column: XlsxColumn<R>, row: R): Cell {
  const v = column.value(row);
  if (v === null || v === undefined || v === '') return null;
  switch (column.type) {
    case 'money':
      // The exact decimal text becomes the nearest spreadsheet number here, at the file boundary,
      // as a person typing it would; sums in hisob never pass through it.
      return { value: Number(v), type: Number, format: '#,##0.00' };
    case 'number':
      return { value: Number(v), type: Number };
    case 'date':
      return { value: new Date(`${String(v)}T00:00:00Z`), type: Date, format: 'dd.mm.yyyy' };
    default:
      return { value: String(v), type: String };
  }
}

/** Answers the rows as an XLSX workbook with one sheet, headers in `locale`, bold and frozen. */
export async function sendXlsx<R>(
  reply: FastifyReply,
  file: {
    fileName: string;
    sheet: Record<Locale, string>;
    columns: XlsxColumn<R>[];
    rows: R[];
    locale: Locale;
  },
): Promise<FastifyReply> {
  const head: Cell[] = file.columns.map((c) => ({
    value: c.header[file.locale],
    type: String,
    fontWeight: 'bold',
  }));
  const data = [head, ...file.rows.map((r) => file.columns.map((c) => cell(c, r)))];
  const body = await writeXlsxFile([
    {
      data,
      sheet: file.sheet[file.locale].slice(0, 31),
      stickyRowsCount: 1,
      columns: file.columns.map((c) => ({ width: c.width ?? 18 })),
    },
  ]).toBuffer();
  return sendFile(reply, {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: file.fileName,
    body,
  });
}
