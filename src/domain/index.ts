// The pure rules of hisob: no I/O, nothing imported from the rest of the app.
export * from './decimal.ts';
export * from './errors.ts';
export * from './money.ts';
export * from './period.ts';
export * from './price.ts';
export * from './quantity.ts';
