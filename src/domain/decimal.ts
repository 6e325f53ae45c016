import { AppError } from './errors.ts';

/** Integer division rounded half away from zero (billing-rules §1), exact for any bigint. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (n * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

/** Options of parseDecimal. */
export type ParseDecimalOptions = {
  /** Decimal places allowed (and the power of ten of the result). */
  scale: number;
  /** Error code thrown on bad input. */
  code: string;
  /** Accept a comma as the decimal separator (readings typed as XXXXXX,XX). */
  allowComma?: boolean;
  allowNegative?: boolean;
  field?: string;
};

/**
 * Parses a strict decimal string into an integer scaled by 10^scale: "-12.5" at scale 2 → -1250n.
 * Refuses exponents, signs other than a leading '-', spaces, group separators, and more decimals
 * than the scale allows — a value is never silently rounded.
 */
export function parseDecimal(input: unknown, opts: ParseDecimalOptions): bigint {
  const fail = (): never => {
    throw new AppError(opts.code, `Not a decimal with at most ${opts.scale} decimals: ${String(input)}`, {
      value: typeof input === 'string' ? input : String(input),
      scale: opts.scale,
      ...(opts.field ? { field: opts.field } : {}),
    });
  };
  if (typeof input !== 'string') return fail();
  const sep = opts.allowComma ? '[.,]' : '\\.';
  const fraction = opts.scale > 0 ? `(?:${sep}(\\d{1,${opts.scale}}))?` : '';
  const m = new RegExp(`^(-?)(\\d+)${fraction}$`).exec(input);
  if (!m) return fail();
  const [, sign = '', whole = '', frac = ''] = m;
  if (sign === '-' && opts.allowNegative === false) return fail();
  const value = BigInt(whole) * 10n ** BigInt(opts.scale) + BigInt(frac.padEnd(opts.scale, '0') || '0');
  return sign === '-' ? -value : value;
}

/** Formats an integer scaled by 10^scale with exactly `scale` decimals: (-5n, 2) → "-0.05". */
export function formatDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${frac}` : ''}`;
}
