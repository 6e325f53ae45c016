import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { periodInTashkent, todayInTashkent } from '../../domain/period.ts';
import { formatQuantityLocale } from '../../domain/quantity.ts';
import type { Locale } from '../../i18n/locale.ts';
import { meteringPointsOf } from '../accounts/accounts.service.ts';
import { paragraphsOf } from '../reference/document-template-text.ts';
import { contractTermsVariables, type SupplierRates } from '../reference/document-template-variables.ts';
import { filledTemplates } from '../reference/document-templates.ts';
import { header, MARGIN, newDocument, signatures, table, toBuffer, WIDTH } from './documents.pdf.ts';
import { type Account, accountOf } from './documents.service.ts';

// The supply contract as the consumer reads it in the cabinet (R6 function 6): both parties with
// requisites, the contracted volumes and load, the tariff, the metering points and meters, and
// the settlement terms of billing-rules.md (due date, penalties, overconsumption, readings).

/** What the contract document shows. */
export type ContractDocument = Account & {
  startDate: string;
  tariff: string | null;
  specialSupply: boolean;
  monthlyVolume: string | null;
  contractedLoad: string | null;
  volumes: { period: string; volume: string }[];
  meters: {
    point: string;
    address: string | null;
    serial: string;
    type: string | null;
    multiplier: string;
    registers: string;
  }[];
  readingDay: number;
  /** The supplier's settlement rates (billing-rules.md), which the terms quote. */
  rates: SupplierRates;
  /** Section 4 per language: the `contract_terms` template in force today, filled; one clause per line. */
  terms: Record<Locale, string>;
};

/** The contract of `contractId` with its terms in force today and this year's monthly volumes. */
export async function contractDocumentOf(
  db: Kysely<DB>,
  tenantId: bigint,
  contractId: bigint,
): Promise<ContractDocument> {
  const account = await accountOf(db, tenantId, contractId);
  const contract = await db
    .selectFrom('contract as k')
    .innerJoin('tenant as t', 't.id', 'k.tenant_id')
    .select(['k.start_date', 't.reading_deadline_day', 't.penalty_rate', 't.special_penalty_rate'])
    .select(['t.penalty_cap', 't.overconsumption_threshold', 't.overconsumption_factor'])
    .where('k.id', '=', contractId)
    .executeTakeFirstOrThrow();
  const terms = await db
    .selectFrom('contract_version as v')
    .innerJoin('tariff as f', 'f.id', 'v.tariff_id')
    .select(['f.name', 'v.special_supply', 'v.default_volume', 'v.contracted_load'])
    .where('v.contract_id', '=', contractId)
    .orderBy('v.valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  const year = periodInTashkent().slice(0, 4);
  const volumes = await db
    .selectFrom('contract_volume')
    .select(['period', 'volume'])
    .where('contract_id', '=', contractId)
    .where('period', '>=', `${year}-01`)
    .where('period', '<=', `${year}-12`)
    .orderBy('period')
    .execute();
  const points = await meteringPointsOf(db, contractId);
  const q = (v: bigint | null) => (v === null ? null : String(v));
  const document: Omit<ContractDocument, 'terms'> = {
    ...account,
    startDate: contract.start_date,
    tariff: terms?.name ?? null,
    specialSupply: terms?.special_supply ?? false,
    monthlyVolume: q(terms?.default_volume ?? null),
    contractedLoad: q(terms?.contracted_load ?? null),
    volumes: volumes.map((v) => ({ period: v.period, volume: String(v.volume) })),
    meters: points.flatMap((p) =>
      p.meters.map((m) => ({
        point: p.code,
        address: p.address,
        serial: m.serial,
        type: m.type,
        multiplier: m.multiplier,
        registers: m.registers.join(', '),
      })),
    ),
    readingDay: contract.reading_deadline_day,
    rates: {
      penaltyRate: String(contract.penalty_rate),
      specialPenaltyRate: String(contract.special_penalty_rate),
      penaltyCap: String(contract.penalty_cap),
      overconsumptionThreshold: String(contract.overconsumption_threshold),
      overconsumptionFactor: String(contract.overconsumption_factor),
    },
  };
  const clauses = await filledTemplates(db, tenantId, 'contract_terms', todayInTashkent(), (lang) =>
    contractTermsVariables(document, lang),
  );
  return { ...document, terms: clauses };
}

type Texts = {
  title: Record<'electricity' | 'heat', string>;
  from: string;
  supplier: string;
  consumer: string;
  inn: string;
  address: string;
  bank: string;
  s1: string;
  subject: Record<'electricity' | 'heat', string>;
  s2: string;
  tariff: string;
  volume: string;
  load: string;
  special: string;
  month: string;
  s3: string;
  point: string;
  serial: string;
  type: string;
  multiplier: string;
  registers: string;
  s4: string;
  signSupplier: string;
  signConsumer: string;
};

const unit = (c: ContractDocument) => (c.commodity === 'heat' ? 'Gcal' : 'kWh');

const TEXTS: Record<Locale, Texts> = {
  uz: {
    title: {
      electricity: 'ELEKTR ENERGIYASI YETKAZIB BERISH SHARTNOMASI',
      heat: 'ISSIQLIK ENERGIYASI YETKAZIB BERISH SHARTNOMASI',
    },
    from: 'Tuzilgan sana',
    supplier: 'Yetkazib beruvchi',
    consumer: 'Isteʼmolchi',
    inn: 'STIR',
    address: 'Manzil',
    bank: 'Hisob raqami, MFO',
    s1: '1. Shartnoma predmeti',
    subject: {
      electricity:
        'Yetkazib beruvchi isteʼmolchiga quyida koʻrsatilgan hisobga olish nuqtalari orqali elektr energiyasi yetkazib beradi, isteʼmolchi esa uni oʻz vaqtida toʻlaydi.',
      heat: 'Yetkazib beruvchi isteʼmolchiga quyida koʻrsatilgan hisobga olish nuqtalari orqali issiqlik energiyasi yetkazib beradi, isteʼmolchi esa uni oʻz vaqtida toʻlaydi.',
    },
    s2: '2. Hajmlar va tarif',
    tariff: 'Tarif',
    volume: 'Oylik shartnoma hajmi',
    load: 'Shartnoma quvvati, kVt',
    special: 'Maxsus taʼminot shartlari',
    month: 'Oy',
    s3: '3. Hisobga olish nuqtalari va hisoblagichlar',
    point: 'Nuqta',
    serial: 'Zavod raqami',
    type: 'Turi',
    multiplier: 'Koeffitsient',
    registers: 'Registrlar',
    s4: '4. Hisob-kitob shartlari',
    signSupplier: 'Yetkazib beruvchi',
    signConsumer: 'Isteʼmolchi',
  },
  'uz-Cyrl': {
    title: {
      electricity: 'ЭЛЕКТР ЭНЕРГИЯСИ ЕТКАЗИБ БЕРИШ ШАРТНОМАСИ',
      heat: 'ИССИҚЛИК ЭНЕРГИЯСИ ЕТКАЗИБ БЕРИШ ШАРТНОМАСИ',
    },
    from: 'Тузилган сана',
    supplier: 'Етказиб берувчи',
    consumer: 'Истеъмолчи',
    inn: 'СТИР',
    address: 'Манзил',
    bank: 'Ҳисоб рақами, МФО',
    s1: '1. Шартнома предмети',
    subject: {
      electricity:
        'Етказиб берувчи истеъмолчига қуйида кўрсатилган ҳисобга олиш нуқталари орқали электр энергияси етказиб беради, истеъмолчи эса уни ўз вақтида тўлайди.',
      heat: 'Етказиб берувчи истеъмолчига қуйида кўрсатилган ҳисобга олиш нуқталари орқали иссиқлик энергияси етказиб беради, истеъмолчи эса уни ўз вақтида тўлайди.',
    },
    s2: '2. Ҳажмлар ва тариф',
    tariff: 'Тариф',
    volume: 'Ойлик шартнома ҳажми',
    load: 'Шартнома қуввати, кВт',
    special: 'Махсус таъминот шартлари',
    month: 'Ой',
    s3: '3. Ҳисобга олиш нуқталари ва ҳисоблагичлар',
    point: 'Нуқта',
    serial: 'Завод рақами',
    type: 'Тури',
    multiplier: 'Коэффициент',
    registers: 'Регистрлар',
    s4: '4. Ҳисоб-китоб шартлари',
    signSupplier: 'Етказиб берувчи',
    signConsumer: 'Истеъмолчи',
  },
  ru: {
    title: {
      electricity: 'ДОГОВОР ЭНЕРГОСНАБЖЕНИЯ (ЭЛЕКТРИЧЕСКАЯ ЭНЕРГИЯ)',
      heat: 'ДОГОВОР ТЕПЛОСНАБЖЕНИЯ',
    },
    from: 'Дата заключения',
    supplier: 'Поставщик',
    consumer: 'Потребитель',
    inn: 'ИНН',
    address: 'Адрес',
    bank: 'Р/с, МФО',
    s1: '1. Предмет договора',
    subject: {
      electricity:
        'Поставщик подаёт потребителю электрическую энергию через указанные ниже точки учёта, а потребитель своевременно её оплачивает.',
      heat: 'Поставщик подаёт потребителю тепловую энергию через указанные ниже точки учёта, а потребитель своевременно её оплачивает.',
    },
    s2: '2. Объёмы и тариф',
    tariff: 'Тариф',
    volume: 'Договорный месячный объём',
    load: 'Договорная мощность, кВт',
    special: 'Особые условия поставки',
    month: 'Месяц',
    s3: '3. Точки учёта и счётчики',
    point: 'Точка',
    serial: 'Заводской номер',
    type: 'Тип',
    multiplier: 'Коэффициент',
    registers: 'Регистры',
    s4: '4. Порядок расчётов',
    signSupplier: 'Поставщик',
    signConsumer: 'Потребитель',
  },
  en: {
    title: { electricity: 'ELECTRICITY SUPPLY CONTRACT', heat: 'HEAT SUPPLY CONTRACT' },
    from: 'Concluded on',
    supplier: 'Supplier',
    consumer: 'Consumer',
    inn: 'INN',
    address: 'Address',
    bank: 'Account, MFO',
    s1: '1. Subject',
    subject: {
      electricity:
        'The supplier delivers electricity to the consumer through the metering points listed below, and the consumer pays for it on time.',
      heat: 'The supplier delivers heat to the consumer through the metering points listed below, and the consumer pays for it on time.',
    },
    s2: '2. Volumes and tariff',
    tariff: 'Tariff',
    volume: 'Contracted monthly volume',
    load: 'Contracted load, kW',
    special: 'Special supply terms',
    month: 'Month',
    s3: '3. Metering points and meters',
    point: 'Point',
    serial: 'Serial number',
    type: 'Type',
    multiplier: 'Multiplier',
    registers: 'Registers',
    s4: '4. Settlement',
    signSupplier: 'Supplier',
    signConsumer: 'Consumer',
  },
};

/** The contract as an A4 PDF in `locale`. */
export function renderContractPdf(c: ContractDocument, locale: Locale): Promise<Buffer> {
  const l = TEXTS[locale];
  const qty = (milli: string) => `${formatQuantityLocale(BigInt(milli), locale)} ${unit(c)}`;
  const doc = newDocument(`${l.title[c.commodity]} ${c.number}`, c.startDate);
  header(doc, c.supplier);
  doc
    .font('bold')
    .fontSize(13)
    .text(`${l.title[c.commodity]} № ${c.number}`, { align: 'center', width: WIDTH });
  const d = c.startDate;
  doc
    .font('regular')
    .fontSize(9)
    .text(`${l.from}: ${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`, {
      align: 'center',
      width: WIDTH,
    });
  doc.moveDown(1);
  const party = (title: string, p: Account['consumer']) => {
    doc.font('bold').fontSize(9).text(`${title}: `, MARGIN, doc.y, { continued: true, width: WIDTH });
    doc.font('regular').text(p.name, { width: WIDTH });
    const line = [
      p.inn ? `${l.inn} ${p.inn}` : null,
      p.address ? `${l.address}: ${p.address}` : null,
      p.bank_account ? `${l.bank}: ${p.bank_account}${p.bank_mfo ? `, ${p.bank_mfo}` : ''}` : null,
    ]
      .filter(Boolean)
      .join('; ');
    if (line) doc.fontSize(8.5).text(line, { width: WIDTH });
    doc.moveDown(0.4);
  };
  party(l.supplier, c.supplier);
  party(l.consumer, c.consumer);
  const section = (title: string) => {
    doc.moveDown(0.6);
    doc.font('bold').fontSize(10).text(title, MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(0.3);
    doc.font('regular').fontSize(9);
  };
  section(l.s1);
  doc.text(l.subject[c.commodity], { width: WIDTH, align: 'justify' });
  section(l.s2);
  if (c.tariff) doc.text(`${l.tariff}: ${c.tariff}`, { width: WIDTH });
  if (c.monthlyVolume) doc.text(`${l.volume}: ${qty(c.monthlyVolume)}`, { width: WIDTH });
  if (c.contractedLoad)
    doc.text(`${l.load}: ${formatQuantityLocale(BigInt(c.contractedLoad), locale)}`, { width: WIDTH });
  if (c.specialSupply) doc.text(l.special, { width: WIDTH });
  if (c.volumes.length > 0) {
    doc.moveDown(0.3);
    table(
      doc,
      [
        { title: l.month, width: 120, align: 'left' },
        { title: l.volume, width: 160, align: 'right' },
      ],
      c.volumes.map((v) => [v.period, qty(v.volume)]),
    );
  }
  section(l.s3);
  table(
    doc,
    [
      { title: l.point, width: 110, align: 'left' },
      { title: l.serial, width: 100, align: 'left' },
      { title: l.type, width: 130, align: 'left' },
      { title: l.multiplier, width: 70, align: 'right' },
      { title: l.registers, width: WIDTH - 410, align: 'left' },
    ],
    c.meters.map((m) => [
      m.address ? `${m.point}\n${m.address}` : m.point,
      m.serial,
      m.type ?? '',
      m.multiplier,
      m.registers,
    ]),
  );
  section(l.s4);
  paragraphsOf(c.terms[locale]).forEach((text, i) => {
    doc.text(`4.${i + 1}. ${text}`, MARGIN, doc.y, { width: WIDTH, align: 'justify' });
    doc.moveDown(0.2);
  });
  signatures(doc, [l.signSupplier], [l.signConsumer]);
  return toBuffer(doc);
}
