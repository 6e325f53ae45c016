/** GET /api/readings/confirmations/pending: a reading waiting for a signed confirmation (R3.4). */
export type PendingReading = {
  id: string;
  readOn: string;
  value: string;
  previous: { readOn: string; value: string } | null;
  advance: string | null;
  source: string;
  contract: { id: string; number: string };
  consumer: string;
  orgUnit: string;
  meter: string;
  obis: string;
  enteredBy: string | null;
  enteredAt: string;
};

/** POST /api/readings/confirmations: the draft to sign. */
export type PreparedConfirmation = { id: string; document: string; sha256: string; readingCount: number };

/** GET /api/readings/confirmations/:id and the answer of the signature. */
export type Confirmation = {
  id: string;
  status: 'draft' | 'signed';
  createdAt: string;
  preparedBy: { id: string; name: string; pinfl: string };
  orgUnit: { id: string; name: string };
  readingCount: number;
  document: string;
  sha256: string;
  signer: { subject: string; commonName: string; serialNumber: string; pinfl: string } | null;
  signedAt: string | null;
  confirmedAt: string | null;
  readings: {
    id: string;
    contract: string;
    meter: string;
    obis: string;
    readOn: string;
    value: string;
    status: string;
  }[];
};

/** GET /api/readings/confirmations: one row of the list. */
export type ConfirmationRow = {
  id: string;
  status: 'draft' | 'signed';
  createdAt: string;
  readingCount: number;
  preparedBy: string;
  orgUnit: string;
  signer: { commonName: string; serialNumber: string } | null;
  confirmedAt: string | null;
};

/** Base64 of bytes (in chunks: a long document would overflow the argument list). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** The bytes of base64 text. */
export function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
