import { addDays, firstDay, type LocalDate, type Period } from '../domain/period.ts';
import { address, companyName, personName } from './names.ts';
import type { Random } from './random.ts';
import type { DemoConsumer, DemoContext, DemoMeter, DemoReading, DistrictPlan } from './types.ts';

// Monthly load shape, January first.
const SEASON_HOUSEHOLD = [1.35, 1.3, 1.1, 0.9, 0.85, 1.15, 1.3, 1.25, 0.95, 0.9, 1.05, 1.3];
const SEASON_LEGAL = [1.05, 1.0, 1.0, 0.95, 0.95, 1.05, 1.1, 1.1, 1.0, 0.95, 1.0, 1.05];
const SEASON_HEAT = [1.6, 1.5, 1.1, 0.5, 0.12, 0.1, 0.1, 0.1, 0.12, 0.6, 1.2, 1.5];
const BANKS = ['00014', '00440', '00873', '01017', '00401', '00450'];
const MULTIPLIERS = [1, 10, 20, 40, 80];
const MAX_GAPS = 2;

function season(shape: readonly number[], p: Period): number {
  return shape[Number(p.slice(5, 7)) - 1] ?? 1;
}

/** Generates every demo consumer of the plans, deterministically from `random`. */
export function generateConsumers(
  random: Random,
  plans: readonly DistrictPlan[],
  ctx: DemoContext,
): DemoConsumer[] {
  const out: DemoConsumer[] = [];
  let legalCounter = 0;
  let serialCounter = 0;
  const nextSerial = () => String(10_000_000 + ++serialCounter * 7);
  // Seal numbers are unique among the seals in place of a supplier: a drawn number already used
  // becomes the next free one (no extra draw, so the rest of the demo stays as it was).
  const sealsUsed = new Set<string>();
  const freeSeal = (tenantId: bigint, digits: string): string => {
    let n = Number(digits);
    while (sealsUsed.has(`${tenantId}:${n}`)) n = (n + 1) % 10_000_000;
    sealsUsed.add(`${tenantId}:${n}`);
    return `S${String(n).padStart(7, '0')}`;
  };
  const firstMonth = ctx.months[0];
  if (!firstMonth) throw new Error('no months');
  const monthStart = firstDay(firstMonth);

  for (const plan of plans) {
    const tenantKey = plan.commodity === 'heat' ? 'heat' : 'elec';
    const category = (code: string) => {
      const id = ctx.categories.get(`${tenantKey}:${code}`);
      if (id === undefined) throw new Error(`no category ${tenantKey}:${code}`);
      return id;
    };
    const tariff = (code: string) => {
      const id = ctx.tariffs.byCode.get(code);
      if (id === undefined) throw new Error(`no tariff ${code}`);
      return id;
    };
    const meterType = (code: string) => {
      const t = ctx.meterTypes.get(code);
      if (!t) throw new Error(`no meter type ${code}`);
      return t;
    };
    const readingsFor = (
      advances: bigint[][], // per register, per month: advance in thousandths (multiple of 10)
      starts: bigint[],
      remote: boolean,
      legal: boolean,
    ): DemoReading[][] => {
      const values = starts.map((s) => s);
      const out: DemoReading[][] = starts.map(() => []);
      // About 3 % of meter-months go unread (work for estimation), at most 2 per meter.
      let gaps = 0;
      ctx.months.forEach((p, mi) => {
        const skipped = gaps < MAX_GAPS && random.chance(0.03);
        if (skipped) gaps += 1;
        const readOn = addDays(firstDay(p), random.int(19, 24));
        const source =
          remote && random.chance(0.6) ? 'ami' : legal && random.chance(0.6) ? 'cabinet' : 'operator';
        advances.forEach((perMonth, ri) => {
          values[ri] = (values[ri] ?? 0n) + (perMonth[mi] ?? 0n);
          if (skipped) return;
          out[ri]?.push({
            read_on: readOn,
            value: values[ri] ?? 0n,
            source,
            status: 'accepted',
            entered_by: source === 'operator' ? plan.operatorId : null,
            confirmed_by: plan.operatorId,
            confirmed_at: new Date(`${addDays(readOn, 1)}T05:00:00Z`),
          });
        });
      });
      return out;
    };
    const startDate = () => {
      const monthsBack = random.int(0, 72);
      return addDays(monthStart, -30 * monthsBack - random.int(1, 28));
    };
    const installedOn = (start: LocalDate): LocalDate => {
      const d = addDays(monthStart, -random.int(1, 600));
      return d < start ? start : d;
    };
    const meterRow = (
      typeCode: string,
      multiplier: number,
      installed: LocalDate,
    ): Pick<DemoMeter, 'row' | 'seals'> => {
      const t = meterType(typeCode);
      const verified = addDays(installed, random.int(0, 20));
      const serial = `${typeCode.slice(0, 2)}${nextSerial()}`;
      const sealNo = random.digits(7);
      const terminal = { number: freeSeal(plan.tenantId, sealNo), place: 'terminal_cover' as const };
      // A meter behind current transformers also has the CT box sealed (the next free number).
      const ct =
        multiplier > 1 ? [{ number: freeSeal(plan.tenantId, sealNo), place: 'ct_box' as const }] : [];
      return {
        row: {
          tenant_id: plan.tenantId,
          meter_type_id: t.id,
          serial,
          digits: t.digits,
          multiplier: BigInt(multiplier),
          installed_on: installed,
          verified_on: verified,
          next_verification_on: addDays(verified, 365 * (typeCode === 'SKS-3' ? 4 : 8)),
        },
        seals: [terminal, ...ct].map((x) => ({ ...x, setBy: plan.operatorId })),
      };
    };
    /** Monthly advance of a register in thousandths, rounded to the reading's 2 decimals. */
    const advance = (kwh: number, multiplier: number) =>
      BigInt(Math.max(0, Math.round((kwh / multiplier) * 100))) * 10n;

    for (let h = 1; h <= plan.households; h++) {
      const start = startDate();
      const installed = installedOn(start);
      const base = random.int(80, 600);
      const monthly = ctx.months.map(
        (p) => base * season(SEASON_HOUSEHOLD, p) * (0.85 + random.next() * 0.3),
      );
      const startValue = BigInt(random.int(0, 50_000)) * 1000n;
      const [readings = []] = readingsFor([monthly.map((q) => advance(q, 1))], [startValue], false, false);
      const addr = address(random, plan.city);
      out.push({
        consumer: {
          tenant_id: plan.tenantId,
          org_unit_id: plan.orgUnitId,
          kind: 'household',
          name: personName(random),
          inn: null,
          pinfl: random.chance(0.6) ? `${random.int(3, 6)}${random.digits(13)}` : null,
          legal_address: addr,
          phone: `+9989${random.pick(['0', '1', '3', '4', '7', '9'])}${random.digits(7)}`,
          category_id: category('POPULATION'),
          sms_opt_out: random.chance(0.03),
        },
        contract: {
          tenant_id: plan.tenantId,
          org_unit_id: plan.orgUnitId,
          number: `${String(plan.districtIndex).padStart(2, '0')}01${String(h).padStart(6, '0')}`,
          commodity: plan.commodity,
          start_date: start,
        },
        version: { valid_from: start, tariff_id: tariff('E-HOUSE'), estimation: 'average_daily' },
        volumes: [],
        meters: [
          {
            tenantId: plan.tenantId,
            pointNo: 1,
            pointName: 'Xonadon',
            ...meterRow('CE102', 1, installed),
            registers: [{ obis: '1.8.0', installReading: startValue, readings }],
          },
        ],
      });
    }

    for (let l = 1; l <= plan.legal; l++) {
      legalCounter += 1;
      const start = startDate();
      const company = companyName(random, legalCounter);
      const isHeat = plan.commodity === 'heat';
      const addr = address(random, plan.city);
      const consumer = {
        tenant_id: plan.tenantId,
        org_unit_id: plan.orgUnitId,
        kind: company.entrepreneur ? 'entrepreneur' : 'legal',
        name: company.name,
        inn: String((isHeat ? 305_000_000 : 302_000_000) + legalCounter * 73),
        oked: random.digits(5),
        legal_address: addr,
        postal_address: addr,
        phone: `+998${plan.city.startsWith('Samarqand') ? '66' : '71'}${random.digits(7)}`,
        email: random.chance(0.5) ? `info${legalCounter}@example.uz` : null,
        bank_mfo: random.pick(BANKS),
        bank_account: `20208000${random.digits(12)}`,
        category_id: category(
          company.budget ? 'BUDGET' : isHeat ? 'COMMERCE' : random.chance(0.4) ? 'INDUSTRY' : 'COMMERCE',
        ),
      };
      const number = isHeat
        ? String(l).padStart(5, '0')
        : `${plan.districtIndex}${String(l).padStart(5, '0')}`;
      const contract = {
        tenant_id: plan.tenantId,
        org_unit_id: plan.orgUnitId,
        number,
        commodity: plan.commodity,
        start_date: start,
      };
      const estimation = random.chance(0.25) ? 'average_daily' : 'contract';
      const special = company.budget && random.chance(0.5);
      const installed = installedOn(start);

      if (isHeat) {
        const volume = random.int(50, 400);
        const monthly = ctx.months.map((p) => volume * season(SEASON_HEAT, p));
        const startValue = BigInt(random.int(0, 500_000)) * 1000n;
        const [readings = []] = readingsFor(
          [monthly.map((q) => advance(q * (0.85 + random.next() * 0.25), 1))],
          [startValue],
          false,
          true,
        );
        out.push({
          consumer,
          contract,
          version: {
            valid_from: start,
            tariff_id: tariff('H-LEGAL'),
            default_volume: BigInt(volume) * 1000n,
            estimation,
            special_supply: special,
          },
          volumes: ctx.months.map((p, i) => ({
            period: p,
            volume: BigInt(Math.round((monthly[i] ?? 0) * 1000)),
          })),
          meters: [
            {
              tenantId: plan.tenantId,
              pointNo: 1,
              pointName: 'Issiqlik kiritish tuguni',
              ...meterRow('SKS-3', 1, installed),
              registers: [{ obis: '1.8.0', installReading: startValue, readings }],
            },
          ],
        });
        continue;
      }

      // kWh a month: mostly shops and offices, some workshops, a few plants behind CTs.
      const size = random.next();
      const volume =
        size < 0.5
          ? random.int(30, 150) * 100
          : size < 0.8
            ? random.int(150, 600) * 100
            : size < 0.95
              ? random.int(600, 2_000) * 100
              : random.int(2_000, 6_000) * 100;
      // The smallest CT ratio that keeps a year of advances well inside the 6 digits.
      const multiplier = MULTIPLIERS.find((m) => (volume * 1.3) / m <= 15_000) ?? 80;
      const monthly = ctx.months.map((p) => volume * season(SEASON_LEGAL, p) * (0.85 + random.next() * 0.27));
      const zone = random.chance(0.15);
      const twoMeters = !zone && random.chance(0.1);
      const reactive = !zone && random.chance(0.4);
      const meters: DemoMeter[] = [];
      const shares = twoMeters ? [0.7, 0.3] : [1];
      shares.forEach((share, k) => {
        if (zone) {
          const zoneShares = [0.6, 0.25, 0.15];
          const advances = zoneShares.map((z) => monthly.map((q) => advance(q * share * z, multiplier)));
          const starts = zoneShares.map(() => BigInt(random.int(0, 60_000)) * 1000n);
          const readings = readingsFor(advances, starts, true, true);
          meters.push({
            tenantId: plan.tenantId,
            pointNo: k + 1,
            pointName: 'TP-10/0,4 kV',
            ...meterRow('CE301', multiplier, installed),
            registers: (['1.8.1', '1.8.2', '1.8.3'] as const).map((obis, i) => ({
              obis,
              installReading: starts[i] ?? 0n,
              readings: readings[i] ?? [],
            })),
          });
          return;
        }
        const active = monthly.map((q) => advance(q * share, multiplier));
        const registersAdv = [active];
        const starts = [BigInt(random.int(0, 100_000)) * 1000n];
        if (reactive) {
          registersAdv.push(active.map((a) => ((a * BigInt(random.int(30, 65))) / 1000n) * 10n));
          starts.push(BigInt(random.int(0, 50_000)) * 1000n);
        }
        const readings = readingsFor(registersAdv, starts, true, true);
        meters.push({
          tenantId: plan.tenantId,
          pointNo: k + 1,
          pointName: k === 0 ? 'TP-10/0,4 kV' : 'Ombor',
          ...meterRow('MERCURY-230', multiplier, installed),
          registers: registersAdv.map((_, i) => ({
            obis: i === 0 ? '1.8.0' : '3.8.0',
            installReading: starts[i] ?? 0n,
            readings: readings[i] ?? [],
          })),
        });
      });
      const volumes = random.chance(0.2)
        ? [random.pick(ctx.months), random.pick(ctx.months)]
            .filter((p, i, all) => all.indexOf(p) === i)
            .map((p) => ({
              period: p,
              volume: BigInt(Math.round(volume * (0.8 + random.next() * 0.4))) * 1000n,
            }))
        : [];
      out.push({
        consumer,
        contract,
        version: {
          valid_from: start,
          tariff_id: tariff(zone ? 'E-ZONE' : 'E-LEGAL'),
          default_volume: BigInt(volume) * 1000n,
          contracted_load: BigInt(Math.max(5, Math.round(volume / 250))) * 1000n,
          estimation,
          special_supply: special,
          tan_phi_norm: reactive ? '0.5' : null,
        },
        volumes,
        meters,
      });
    }
  }
  return out;
}
