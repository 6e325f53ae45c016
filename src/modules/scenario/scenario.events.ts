import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { parseMoney } from '../../domain/money.ts';
import { parseLocalDate, parsePeriod, periodOf } from '../../domain/period.ts';
import { amountOf, parsePrice } from '../../domain/price.ts';
import { parseQuantity, parseReading } from '../../domain/quantity.ts';
import { versionFor } from '../../domain/tariff-pricing.ts';
import { termsInForce } from '../accounts/accounts.service.ts';
import { SYSTEM_ACTOR } from '../audit/audit.ts';
import type { BillingIssue } from '../billing/bill-engine.ts';
import { closePeriod, postLines } from '../billing/close-period.ts';
import { assertPeriodOpen } from '../billing/periods.ts';
import { replaceMeter } from '../meters/meters.service.ts';
import { bookPayment, reversePayment } from '../payments/payments.service.ts';
import { recordReading } from '../readings/readings.service.ts';
import { addTariffVersion, loadVersions } from '../tariffs/tariffs.service.ts';
import { ZMeterReplace, ZVersion } from './scenario.schemas.ts';
import { type ScenarioWorld, toTariffVersion } from './scenario.setup.ts';

/** A scenario event as the file gives it. */
export type ScenarioEvent = { type: string; date: string } & Record<string, unknown>;

/** Orders events by date, file order within a date, `close` last within its date (§12). */
export function orderEvents(events: readonly ScenarioEvent[]): { event: ScenarioEvent; index: number }[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => {
      if (a.event.date !== b.event.date) return a.event.date < b.event.date ? -1 : 1;
      const ca = a.event.type === 'close' ? 1 : 0;
      const cb = b.event.type === 'close' ? 1 : 0;
      return ca - cb || a.index - b.index;
    });
}

function text(e: ScenarioEvent, key: string): string {
  const v = e[key];
  if (typeof v !== 'string' || v === '')
    throw new AppError('VALIDATION_FAILED', `Event field "${key}" is missing`, { issues: key });
  return v;
}

/** Runs one event through the services in its own transaction; a refused event changes nothing. */
export async function runEvent(
  db: Kysely<DB>,
  world: ScenarioWorld,
  e: ScenarioEvent,
): Promise<BillingIssue[]> {
  const date = parseLocalDate(e.date);
  const contractOf = (): bigint => {
    const account = world.accounts.get(text(e, 'account'));
    if (!account)
      throw new AppError('UNKNOWN_ACCOUNT', `Unknown account ${String(e.account)}`, {
        account: String(e.account),
      });
    return account.contractId;
  };
  return db.transaction().execute(async (trx) => {
    switch (e.type) {
      case 'reading': {
        const contractId = contractOf();
        const register = await trx
          .selectFrom('register as g')
          .innerJoin('meter as m', 'm.id', 'g.meter_id')
          .innerJoin('metering_point as p', 'p.id', 'm.metering_point_id')
          .select('g.id')
          .where('p.contract_id', '=', contractId)
          .where('m.serial', '=', text(e, 'meter'))
          .where('g.obis', '=', text(e, 'register'))
          .executeTakeFirst();
        if (!register)
          throw new AppError('NOT_FOUND', `No register ${String(e.register)} on meter ${String(e.meter)}`);
        await recordReading(trx, SYSTEM_ACTOR, {
          tenantId: world.tenantId,
          registerId: register.id,
          readOn: date,
          value: parseReading(text(e, 'value')),
          source: 'operator',
          today: date,
          accept: true,
        });
        return [];
      }
      case 'payment':
        await bookPayment(trx, SYSTEM_ACTOR, {
          tenantId: world.tenantId,
          contractId: contractOf(),
          channel: text(e, 'channel'),
          externalId: text(e, 'id'),
          amount: parseMoney(text(e, 'amount'), { allowNegative: false }),
          paidOn: date,
        });
        return [];
      case 'reversal':
        await reversePayment(trx, SYSTEM_ACTOR, {
          tenantId: world.tenantId,
          channel: text(e, 'channel'),
          externalId: text(e, 'id'),
          reason: typeof e.reason === 'string' ? e.reason : 'reversal',
          reversedOn: date,
        });
        return [];
      case 'close':
        return (
          await closePeriod(trx, SYSTEM_ACTOR, {
            tenantId: world.tenantId,
            period: parsePeriod(text(e, 'period')),
            closedOn: date,
          })
        ).issues;
      case 'contract_volume': {
        const volume = parseQuantity(text(e, 'volume'), { allowNegative: false });
        await trx
          .insertInto('contract_volume')
          .values({ contract_id: contractOf(), period: parsePeriod(text(e, 'period')), volume })
          .onConflict((oc) => oc.columns(['contract_id', 'period']).doUpdateSet({ volume }))
          .execute();
        return [];
      }
      case 'tariff_version': {
        const tariffId = world.tariffs.get(text(e, 'tariff'));
        if (tariffId === undefined)
          throw new AppError('UNKNOWN_TARIFF', `Unknown tariff ${String(e.tariff)}`, {
            tariff: String(e.tariff),
          });
        const parsed = ZVersion.safeParse(e.version);
        if (!parsed.success)
          throw new AppError('VALIDATION_FAILED', 'Invalid tariff version', { issues: parsed.error.message });
        await addTariffVersion(trx, SYSTEM_ACTOR, tariffId, toTariffVersion(parsed.data));
        return [];
      }
      case 'illegal_use': {
        const contractId = contractOf();
        const period = periodOf(date);
        const quantity = parseQuantity(text(e, 'quantity'), { allowNegative: false });
        let unitPrice = typeof e.price === 'string' ? parsePrice(e.price) : null;
        if (unitPrice === null) {
          const terms = await termsInForce(trx, contractId, date);
          if (!terms)
            throw new AppError('NOT_FOUND', `Contract ${String(e.account)} has no terms on ${date}`);
          const pricing = versionFor(await loadVersions(trx, terms.tariff_id), period).pricing;
          if (pricing.kind !== 'flat') {
            throw new AppError(
              'ILLEGAL_USE_PRICE_REQUIRED',
              'Give the price of illegal use on a zone or block tariff',
            );
          }
          unitPrice = pricing.price;
        }
        await assertPeriodOpen(trx, world.tenantId, period);
        await postLines(trx, contractId, period, [
          {
            kind: 'illegal_use',
            basis: null,
            obis: null,
            forPeriod: null,
            quantity,
            price: unitPrice,
            amount: amountOf(quantity, unitPrice),
          },
        ]);
        return [];
      }
      case 'meter_replace': {
        const parsed = ZMeterReplace.safeParse(e);
        if (!parsed.success)
          throw new AppError('VALIDATION_FAILED', 'Invalid meter replacement', {
            issues: parsed.error.message,
          });
        const m = parsed.data;
        const readings = (r: Partial<Record<string, string>>) =>
          new Map(
            Object.entries(r).flatMap(([obis, v]) => (v === undefined ? [] : [[obis, parseReading(v)]])),
          );
        await replaceMeter(trx, SYSTEM_ACTOR, {
          tenantId: world.tenantId,
          contractId: contractOf(),
          oldSerial: m.old_meter,
          on: date,
          removal: readings(m.removal),
          newMeter: {
            serial: m.new_meter.serial,
            digits: m.new_meter.digits,
            multiplier: BigInt(m.new_meter.multiplier),
            registers: readings(m.new_meter.registers),
          },
          today: date,
        });
        return [];
      }
      default:
        throw new AppError('EVENT_NOT_SUPPORTED', `Event type "${e.type}" is not supported yet`, {
          type: e.type,
        });
    }
  });
}
