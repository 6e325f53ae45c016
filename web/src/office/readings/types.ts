/** A reading as GET /api/readings lists it. */
export type ReadingRow = {
  id: string;
  readOn: string;
  value: string;
  source: 'cabinet' | 'inspector' | 'ami' | 'operator' | 'import';
  status: 'submitted' | 'suspect' | 'accepted' | 'rejected';
  veeCode: string | null;
  note: string | null;
  contract: { id: string; number: string };
  consumerName: string;
  orgUnit: { id: string; name: string };
  meterSerial: string;
  registerId: string;
  obis: string;
  previous: { readOn: string; value: string; installation: boolean } | null;
  advance: string | null;
  enteredBy: string | null;
  enteredAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
};

/** A meter in service found for entry (GET /api/readings/registers). */
export type MeterHit = {
  meterId: string;
  serial: string;
  digits: number;
  multiplier: string;
  contract: { id: string; number: string };
  consumerName: string;
  orgUnit: { id: string; name: string };
  registers: {
    registerId: string;
    obis: string;
    last: { readOn: string; value: string } | null;
    pending: { id: string; readOn: string; value: string; status: ReadingRow['status'] } | null;
  }[];
};

/** One bad row of a refused import (READING_IMPORT_INVALID's details). */
export type ImportProblem = {
  row: number;
  field: 'contract' | 'meter' | 'register' | 'date' | 'value' | null;
  code: string;
  message: string;
  value?: string;
};

/** The answer of a good import. */
export type ImportResult = {
  fileName: string;
  format: 'csv' | 'xlsx';
  rows: number;
  submitted: number;
  suspect: number;
};

/** A reading as typed: XXXXXX,XX or with a dot, spaces between digit groups allowed. */
export const READING_FORMAT = /^\d{1,9}([.,]\d{1,2})?$/;

/** The reading without the spaces people type between digit groups. */
export function compactReading(value: string): string {
  return value.replace(/[\s\u00a0]/g, '');
}

/** Today in Tashkent (UTC+5, no daylight saving), 'YYYY-MM-DD'. */
export function todayInTashkent(): string {
  return new Date(Date.now() + 5 * 3_600_000).toISOString().slice(0, 10);
}
