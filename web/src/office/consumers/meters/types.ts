// The meter API's answers and bodies as the office's meter actions use them
// (src/modules/meters/meters.schemas.ts).

/** Where a seal sits. */
export const SEAL_PLACES = [
  'terminal_cover',
  'meter_cover',
  'ct_box',
  'vt_box',
  'test_block',
  'cabinet',
  'other',
] as const;
export type SealPlace = (typeof SEAL_PLACES)[number];

/** A seal with its history (GET /api/meters/:id/seals). */
export type Seal = {
  id: string;
  meterId: string;
  number: string;
  place: SealPlace | null;
  setOn: string;
  setBy: string | null;
  removedOn: string | null;
  removedBy: string | null;
  reason: string | null;
  removedWithMeter: boolean;
};

/** A meter type of the reference list (GET /api/reference/meter-types). */
export type MeterType = { id: string; code: string; name: string; digits: number; registers: string[] };

/** What the new-meter fields hold while typed. */
export type NewMeterState = {
  serial: string;
  meterTypeId: string;
  digits: string;
  multiplier: string;
  verifiedOn: string;
  nextVerificationOn: string;
  /** Installation reading by register; a register left empty is not installed. */
  readings: Record<string, string>;
  seals: { number: string; place: SealPlace }[];
};

/** Empty new-meter fields. */
export function emptyNewMeter(): NewMeterState {
  return {
    serial: '',
    meterTypeId: '',
    digits: '',
    multiplier: '1',
    verifiedOn: '',
    nextVerificationOn: '',
    readings: {},
    seals: [],
  };
}
