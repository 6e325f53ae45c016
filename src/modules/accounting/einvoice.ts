import { createHash } from 'node:crypto';
import { formatMoney, type Tiyin, tiyin } from '../../domain/money.ts';
import { formatQuantity, milli } from '../../domain/quantity.ts';

// The tax committee's e-invoice (ESF, "hisob-faktura", document type 002 of the Soliq e-document
// exchange) of one bill, in the exchange's JSON field names (decision 016). Pure: the caller loads
// the bill and its parties. Money goes out as so'm strings with 2 decimals from bigint tiyin.

/** A party's requisites as the ESF names them. */
export type EsfParty = {
  Name: string;
  Account: string;
  BankId: string;
  Address: string;
  VatRegCode: string;
  Director: string;
  Accountant: string;
};

/** One product row of the ESF. */
export type EsfProduct = {
  OrdNo: number;
  CatalogCode: string;
  CatalogName: string;
  Name: string;
  PackageCode: string;
  PackageName: string;
  Count: string;
  BaseSumma: string;
  Summa: string;
  DeliverySum: string;
  VatRate: number;
  VatSum: string;
  DeliverySumWithVat: string;
  WithoutVat: boolean;
};

/** The ESF document (type 002). */
export type Esf = {
  Version: number;
  FacturaType: number;
  FacturaId: string;
  FacturaDoc: { FacturaNo: string; FacturaDate: string };
  ContractDoc: { ContractNo: string; ContractDate: string };
  SellerTin: string;
  BuyerTin: string;
  Seller: EsfParty;
  Buyer: EsfParty;
  ProductList: {
    FacturaId: string;
    Tin: string;
    HasVat: boolean;
    HasExcise: boolean;
    Products: EsfProduct[];
  };
};

/** What an ESF is built from: the numbered bill of a closed period with its lines and parties. */
export type EsfSource = {
  tenantId: bigint;
  billId: bigint;
  number: string;
  issuedOn: string;
  contract: { number: string; startDate: string };
  seller: { tin: string } & EsfParty;
  buyer: { tin: string } & EsfParty;
  vatRate: number;
  catalog: { code: string; name: string; packageCode: string; packageName: string };
  lines: { kind: string; quantity: bigint | null; amount: bigint; vat: bigint }[];
};

/** The line kinds an ESF carries: deliveries of energy. Penalties are not a supply (no VAT). */
const SUPPLY_KINDS = new Set([
  'energy',
  'overconsumption',
  'reactive',
  'recalculation',
  'correction',
  'illegal_use',
]);

const NAMES: Record<string, string> = {
  energy: '',
  overconsumption: ' (shartnoma hajmidan ortiq)',
  reactive: ' (reaktiv)',
  recalculation: ' (qayta hisob)',
  correction: ' (tuzatish)',
  illegal_use: ' (noqonuniy foydalanish)',
};

/** The ESF id: 24 hex digits (the exchange's document id form), stable for a bill. */
export function facturaIdOf(tenantId: bigint, billId: bigint): string {
  return createHash('sha256').update(`hisob-esf:${tenantId}:${billId}`).digest('hex').slice(0, 24);
}

/** Divides half-up (away from zero) in bigint. */
function divHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (2n * a + b) / (2n * b);
  return neg ? -q : q;
}

const so = (t: bigint) => formatMoney(tiyin(t) as Tiyin);

/**
 * Builds the ESF of a bill: one product per positive supply line (tariff amounts include VAT, so
 * DeliverySumWithVat = the line amount, VatSum = its VAT, DeliverySum = the rest, Summa = the
 * price without VAT per unit rounded half-up to the tiyin). Credits and penalties are left out.
 */
export function buildEsf(s: EsfSource): Esf {
  const facturaId = facturaIdOf(s.tenantId, s.billId);
  const products: EsfProduct[] = [];
  for (const l of s.lines) {
    if (!SUPPLY_KINDS.has(l.kind) || l.amount <= 0n) continue;
    const net = l.amount - l.vat;
    const qty = l.quantity !== null && l.quantity > 0n ? l.quantity : 1000n;
    const unit = divHalfUp(net * 1000n, qty);
    products.push({
      OrdNo: products.length + 1,
      CatalogCode: s.catalog.code,
      CatalogName: s.catalog.name,
      Name: `${s.catalog.name}${NAMES[l.kind] ?? ''}`,
      PackageCode: s.catalog.packageCode,
      PackageName: s.catalog.packageName,
      Count: formatQuantity(milli(qty)),
      BaseSumma: so(unit),
      Summa: so(unit),
      DeliverySum: so(net),
      VatRate: s.vatRate,
      VatSum: so(l.vat),
      DeliverySumWithVat: so(l.amount),
      WithoutVat: false,
    });
  }
  const party = (p: EsfParty): EsfParty => ({
    Name: p.Name,
    Account: p.Account,
    BankId: p.BankId,
    Address: p.Address,
    VatRegCode: p.VatRegCode,
    Director: p.Director,
    Accountant: p.Accountant,
  });
  return {
    Version: 1,
    FacturaType: 0,
    FacturaId: facturaId,
    FacturaDoc: { FacturaNo: s.number, FacturaDate: s.issuedOn },
    ContractDoc: { ContractNo: s.contract.number, ContractDate: s.contract.startDate },
    SellerTin: s.seller.tin,
    BuyerTin: s.buyer.tin,
    Seller: party(s.seller),
    Buyer: party(s.buyer),
    ProductList: {
      FacturaId: facturaId,
      Tin: s.seller.tin,
      HasVat: true,
      HasExcise: false,
      Products: products,
    },
  };
}

/** The ESF's totals in tiyin: without VAT, VAT, with VAT. */
export function esfTotals(lines: EsfSource['lines']): { net: bigint; vat: bigint; gross: bigint } {
  let vat = 0n;
  let gross = 0n;
  for (const l of lines) {
    if (!SUPPLY_KINDS.has(l.kind) || l.amount <= 0n) continue;
    vat += l.vat;
    gross += l.amount;
  }
  return { net: gross - vat, vat, gross };
}
