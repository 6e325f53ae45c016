// Shapes of the cabinet API's answers (src/modules/cabinet/*.routes.ts). Money and quantities are
// exact decimal strings; a positive balance is the consumer's debt.

export type Summary = {
  dataAsOf: string;
  balance: string;
  unit: 'kWh' | 'Gcal';
  currentBill: {
    period: string;
    number: string | null;
    total: string;
    vat: string;
    issuedOn: string | null;
    dueOn: string | null;
    status: 'preliminary' | 'issued';
    consumption: string | null;
  } | null;
  lastPayment: { paidOn: string; amount: string; channel: string } | null;
};

export type Account = {
  account: string;
  commodity: string;
  startDate: string;
  consumer: {
    name: string;
    inn: string | null;
    legalAddress: string | null;
    postalAddress: string | null;
    phone: string | null;
    email: string | null;
    bankMfo: string | null;
    bankAccount: string | null;
  };
  terms: {
    validFrom: string;
    monthlyVolume: string | null;
    contractedLoad: string | null;
    specialSupply: boolean;
  } | null;
  meteringPoints: {
    code: string;
    name: string | null;
    address: string | null;
    meters: {
      serial: string;
      type: string | null;
      digits: number;
      multiplier: string;
      installedOn: string;
      registers: string[];
    }[];
  }[];
};

export type Settlements = {
  dataAsOf: string;
  from: string;
  to: string;
  opening: string;
  months: {
    period: string;
    opening: string;
    charges: string;
    payments: string;
    closing: string;
    closed: boolean;
  }[];
  totals: { charges: string; payments: string };
  closing: string;
};

export type Payments = {
  dataAsOf: string;
  payments: {
    id: string;
    paidOn: string;
    amount: string;
    channel: string;
    channelKind: string;
    status: 'booked' | 'reversed';
    reversedOn: string | null;
  }[];
};

/** GET /api/cabinet/pay/providers. */
export type PayProviders = { providers: ('payme' | 'click')[]; min: string; max: string };

/** An online payment (GET /api/cabinet/pay/:id). */
export type PayIntent = {
  id: string;
  provider: 'payme' | 'click';
  amount: string;
  status: 'created' | 'pending' | 'paid' | 'cancelled' | 'expired';
  createdAt: string;
  paymentId: string | null;
};

export type Consumption = {
  dataAsOf: string;
  unit: 'kWh' | 'Gcal';
  from: string;
  to: string;
  meters: {
    serial: string;
    inService: boolean;
    registers: { obis: string; months: { period: string; consumption: string | null }[] }[];
  }[];
};

export type Documents = {
  dataAsOf: string;
  months: { period: string; invoice: { number: string; total: string; issuedOn: string | null } | null }[];
};

export type Readings = {
  dataAsOf: string;
  window: { period: string; open: boolean; closesOn: string };
  meters: {
    meterId: string;
    serial: string;
    pointCode: string;
    type: string | null;
    digits: number;
    multiplier: string;
    registers: {
      registerId: string;
      obis: string;
      last: { readOn: string; value: string } | null;
      history: {
        id: string;
        readOn: string;
        value: string;
        consumption: string | null;
        source: string;
        status: string;
        attachment: { id: string; fileName: string; size: number } | null;
      }[];
    }[];
  }[];
};

export type ApplicationStatus = 'submitted' | 'accepted' | 'scheduled' | 'done' | 'rejected' | 'cancelled';

export type Application = {
  id: string;
  number: string;
  account: string;
  type: string;
  status: ApplicationStatus;
  text: string;
  desiredDate: string | null;
  desiredTime: string | null;
  visitDate: string | null;
  details: {
    meterSerial?: string;
    volumes?: { period: string; volume: string }[];
    requisites?: Record<string, string>;
  };
  createdAt: string;
  updatedAt: string;
  events: {
    at: string;
    status: ApplicationStatus;
    note: string | null;
    by: 'consumer' | 'user' | 'system';
    name: string | null;
  }[];
};

export type Applications = { dataAsOf: string; items: Application[] };

export type EmployeeListStatus = 'draft' | 'submitted' | 'received';

/** An employee list per procedure No. 1031 (R6 function 7). */
export type EmployeeList = {
  id: string;
  account: string;
  consumer: { name: string; inn: string | null };
  status: EmployeeListStatus;
  rowCount: number;
  lang: string;
  document: { sha256: string; size: number };
  createdAt: string;
  signer: { commonName: string; organization: string | null; serialNumber: string; inn: string } | null;
  signedAt: string | null;
  submittedAt: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
};

export type EmployeeLists = { dataAsOf: string; items: EmployeeList[] };
