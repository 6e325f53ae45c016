// The pure rules of hisob: no I/O, nothing imported from the rest of the app.

export * from './allocation.ts';
export * from './consumption.ts';
export * from './decimal.ts';
export * from './errors.ts';
export * from './estimation.ts';
export * from './money.ts';
export * from './penalty.ts';
export * from './period.ts';
export * from './price.ts';
export * from './quantity.ts';
export * from './reactive.ts';
export * from './recalculation.ts';
export * from './tariff-pricing.ts';
