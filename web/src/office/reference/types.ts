/** A tariff as /api/reference/tariffs lists it. */
export type Tariff = {
  id: string;
  code: string;
  name: string;
  commodity: 'electricity' | 'heat';
  unit: 'kWh' | 'Gcal';
  active: boolean;
  revision: number;
  versionCount: number;
  currentFrom: string | null;
  latestFrom: string | null;
};

/** A tariff version with what may still be done to it. */
export type TariffVersion = {
  id: string;
  validFrom: string;
  pricing: 'flat' | 'zones' | 'blocks';
  price: string | null;
  zones: { obis: string; price: string }[];
  blocks: { upto: string | null; price: string }[];
  reactivePrice: string | null;
  current: boolean;
  state: 'closed' | 'billed' | 'editable';
  createdAt: string;
  createdBy: string | null;
};

/** /api/reference/tariffs/:id. */
export type TariffDetail = { tariff: Tariff; openPeriod: string; versions: TariffVersion[] };

/** What the version form sends. */
export type VersionInput = {
  validFrom: string;
  pricing: 'flat' | 'zones' | 'blocks';
  price?: string;
  zones?: { obis: string; price: string }[];
  blocks?: { upto: string | null; price: string }[];
  reactivePrice?: string | null;
};

/** A day of the working calendar. */
export type Holiday = {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  past: boolean;
  createdBy: string | null;
};

/** A node of the network tree. */
export type NetworkNode = {
  id: string;
  orgUnitId: string;
  parentId: string | null;
  kind: 'substation' | 'feeder' | 'transformer';
  code: string;
  name: string;
  voltage: string | null;
  active: boolean;
  revision: number;
  depth: number;
};

/** One change of a reference entry, from the audit log. */
export type Change = { at: string; action: string; actor: string | null; before: unknown; after: unknown };

/** The i18n key of a zone register (i18next keys cannot hold the dots of "1.8.1"). */
export const ZONE_NAME: Readonly<Record<string, string>> = {
  '1.8.1': 'day',
  '1.8.2': 'night',
  '1.8.3': 'peak',
  '1.8.4': 'z4',
};
