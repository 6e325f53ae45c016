import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { periodInTashkent } from '../../domain/period.ts';
import { formatQuantityLocale } from '../../domain/quantity.ts';
import type { Locale } from '../../i18n/locale.ts';
import { meteringPointsOf } from '../accounts/accounts.service.ts';
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
    .select(['k.start_date', 't.reading_deadline_day'])
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
  return {
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
  };
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
  terms: (c: ContractDocument) => string[];
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
    terms: (c) => [
      `Isteʼmolchi hisoblagich koʻrsatkichlarini har oyning ${c.readingDay}-sanasigacha shaxsiy kabinet orqali yuboradi; koʻrsatkich boʻlmasa, isteʼmol shartnoma hajmi yoki oʻrtacha kunlik isteʼmol boʻyicha hisoblanadi.`,
      'M oyda hisoblangan summa M+1 oyning oxirgi kunigacha toʻlanadi, M+2 oyning 1-sanasidan muddati oʻtgan hisoblanadi.',
      `Muddati oʻtgan qarz uchun har bir kunga ${c.specialSupply ? '0,2' : '0,1'} % penya hisoblanadi, penya qarzning 50 % idan oshmaydi.`,
      'Shartnoma hajmidan 5 % dan ortiq isteʼmol 1,15 baravar narxda hisoblanadi.',
      'Toʻlovlar avval eng eski qarzga, penya esa oxirida yopiladi; ortiqcha toʻlov avans sifatida qoladi.',
    ],
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
    terms: (c) => [
      `Истеъмолчи ҳисоблагич кўрсаткичларини ҳар ойнинг ${c.readingDay}-санасигача шахсий кабинет орқали юборади; кўрсаткич бўлмаса, истеъмол шартнома ҳажми ёки ўртача кунлик истеъмол бўйича ҳисобланади.`,
      'M ойда ҳисобланган сумма M+1 ойнинг охирги кунигача тўланади, M+2 ойнинг 1-санасидан муддати ўтган ҳисобланади.',
      `Муддати ўтган қарз учун ҳар бир кунга ${c.specialSupply ? '0,2' : '0,1'} % пеня ҳисобланади, пеня қарзнинг 50 % идан ошмайди.`,
      'Шартнома ҳажмидан 5 % дан ортиқ истеъмол 1,15 баравар нархда ҳисобланади.',
      'Тўловлар аввал энг эски қарзга, пеня эса охирида ёпилади; ортиқча тўлов аванс сифатида қолади.',
    ],
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
    terms: (c) => [
      `Потребитель передаёт показания счётчиков через личный кабинет до ${c.readingDay}-го числа каждого месяца; без показаний потребление определяется по договорному объёму или по среднесуточному потреблению.`,
      'Начисление месяца M оплачивается до последнего дня месяца M+1 и считается просроченным с 1-го числа месяца M+2.',
      `За каждый день просрочки начисляется пеня ${c.specialSupply ? '0,2' : '0,1'} %, но не более 50 % суммы долга.`,
      'Потребление сверх договорного объёма более чем на 5 % оплачивается по цене × 1,15.',
      'Платежи погашают сначала самую старую задолженность, пеню — в последнюю очередь; переплата остаётся авансом.',
    ],
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
    terms: (c) => [
      `The consumer submits meter readings in the cabinet by the ${c.readingDay}th of each month; without a reading, consumption is the contracted volume or the average daily consumption.`,
      'A charge of month M is due by the last day of M+1 and overdue from the 1st of M+2.',
      `Each day overdue accrues a penalty of ${c.specialSupply ? '0.2' : '0.1'} %, at most 50 % of the debt.`,
      'Consumption more than 5 % above the contracted volume is charged at 1.15 × the price.',
      'Payments settle the oldest debt first and penalties last; any excess stays as an advance.',
    ],
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
  l.terms(c).forEach((text, i) => {
    doc.text(`4.${i + 1}. ${text}`, MARGIN, doc.y, { width: WIDTH, align: 'justify' });
    doc.moveDown(0.2);
  });
  signatures(doc, [l.signSupplier], [l.signConsumer]);
  return toBuffer(doc);
}
