// The consumer API's answers as the office pages read them (src/modules/consumers/consumers.schemas.ts).

/** A row of the consumer table. */
export type ConsumerRow = {
  id: string;
  kind: string;
  name: string;
  inn: string | null;
  pinfl: string | null;
  phone: string | null;
  address: string | null;
  status: string;
  orgUnit: { id: string; name: string };
  contracts: string[];
};

export type Reading = { readOn: string; value: string; source: string };

export type Bill = {
  id: string;
  period: string;
  number: string | null;
  issuedOn: string | null;
  dueOn: string | null;
  total: string;
  vat: string;
  status: 'issued' | 'preliminary';
};

export type Payment = {
  id: string;
  paidOn: string;
  amount: string;
  channel: string;
  status: 'booked' | 'reversed';
  reversedOn: string | null;
};

export type Terms = {
  validFrom: string;
  tariff: { id: string; code: string; name: string; unit: string };
  contractVolume: string | null;
  contractedLoad: string | null;
  specialSupply: boolean;
  estimation: string;
  tanPhiNorm: string | null;
  addedAt: string;
  addedBy: string | null;
};

export type Meter = {
  id: string;
  serial: string;
  type: { code: string; name: string; accuracyClass: string | null } | null;
  digits: number;
  multiplier: string;
  installedOn: string;
  removedOn: string | null;
  seals: string[];
  verifiedOn: string | null;
  nextVerificationOn: string | null;
  remoteSwitch: boolean;
  switchState: 'on' | 'off' | 'unknown';
  registers: {
    id: string;
    obis: string;
    installReading: string;
    removalReading: string | null;
    lastReading: Reading | null;
  }[];
};

export type Contract = {
  id: string;
  number: string;
  commodity: string;
  supplier: { code: string; name: string };
  orgUnit: { id: string; name: string };
  startDate: string;
  endDate: string | null;
  status: string;
  terms: Terms | null;
  history: Terms[];
  volumes: { period: string; volume: string }[];
  meteringPoints: {
    id: string;
    code: string;
    name: string | null;
    address: string | null;
    meters: Meter[];
  }[];
  balance: string;
  bills: Bill[];
  payments: Payment[];
};

/** The consumer card. */
export type ConsumerCard = {
  id: string;
  kind: string;
  name: string;
  inn: string | null;
  pinfl: string | null;
  oked: string | null;
  legalAddress: string | null;
  postalAddress: string | null;
  phone: string | null;
  email: string | null;
  bank: { mfo: string | null; account: string | null };
  category: { id: string; code: string; name: string } | null;
  orgUnit: { id: string; name: string };
  status: string;
  smsOptOut: boolean;
  contracts: Contract[];
  dataAsOf: string;
};

/** One account on a day. */
export type Vitrina = {
  on: string;
  today: boolean;
  account: {
    id: string;
    number: string;
    commodity: string;
    status: 'not_started' | 'active' | 'ended';
    startDate: string;
    endDate: string | null;
    tariff: { code: string; name: string } | null;
  };
  consumer: { id: string; name: string; kind: string; inn: string | null };
  orgUnit: { id: string; name: string };
  balance: {
    amount: string;
    state: 'debt' | 'advance' | 'settled';
    monthOpening: string;
    monthPayments: string;
    monthCharges: string;
  };
  bills: Bill[];
  payments: Payment[];
  meters: {
    serial: string;
    meteringPoint: string;
    multiplier: string;
    installedOn: string;
    removedOn: string | null;
    remoteSwitch: boolean;
    switchState: 'on' | 'off' | 'unknown';
    registers: { obis: string; lastReading: Reading | null }[];
  }[];
  applications: {
    id: string;
    number: string;
    type: string;
    status: string;
    createdAt: string;
    desiredDate: string | null;
  }[];
  claims: {
    id: string;
    number: string;
    kind: string;
    status: string;
    ground: string | null;
    debtAmount: string;
    penaltyAmount: string;
    debtAsOf: string;
    openedOn: string;
    dueOn: string | null;
    hearingOn: string | null;
  }[];
  switchState: 'on' | 'off' | 'unknown' | null;
};
