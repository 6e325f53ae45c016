import type { Period } from '../domain/period.ts';

/** What one district gets in the demo. */
export type DistrictPlan = {
  tenantId: bigint;
  orgUnitId: bigint;
  districtIndex: number;
  city: string;
  commodity: 'electricity' | 'heat';
  households: number;
  legal: number;
  operatorId: bigint | null;
};

/** Reference rows the generator points at. */
export type DemoContext = {
  months: readonly Period[];
  tariffs: { byCode: Map<string, bigint> };
  categories: Map<string, bigint>;
  meterTypes: Map<string, { id: bigint; digits: number }>;
};

type Obis = '1.8.0' | '1.8.1' | '1.8.2' | '1.8.3' | '3.8.0';

/** A generated reading row (without tenant and register). */
export type DemoReading = {
  read_on: string;
  value: bigint;
  source: 'cabinet' | 'operator' | 'ami';
  status: 'accepted';
  entered_by: bigint | null;
  confirmed_by: bigint | null;
  confirmed_at: Date;
};

/** A generated meter with its registers and readings. */
export type DemoMeter = {
  tenantId: bigint;
  pointNo: number;
  pointName: string;
  row: {
    tenant_id: bigint;
    meter_type_id: bigint;
    serial: string;
    digits: number;
    multiplier: bigint;
    installed_on: string;
    verified_on: string;
    next_verification_on: string;
  };
  registers: { obis: Obis; installReading: bigint; readings: DemoReading[] }[];
  /** Seals set on the installation day (meter_seal), numbers unique per supplier. */
  seals: { number: string; place: 'terminal_cover' | 'ct_box'; setBy: bigint | null }[];
};

/** A generated consumer with contract, terms, volumes and meters (ids are assigned by the loader). */
export type DemoConsumer = {
  consumer: Record<string, unknown> & { legal_address: string | null };
  contract: { tenant_id: bigint; org_unit_id: bigint; number: string; commodity: string; start_date: string };
  version: Record<string, unknown>;
  volumes: { period: string; volume: bigint }[];
  meters: DemoMeter[];
};
