import { type ExpressionBuilder, type ExpressionWrapper, sql, type SqlBool } from 'kysely';

/**
 * A condition that `column` (an org-unit path) lies under one of `paths`. No paths → false, so a
 * user without the permission anywhere sees nothing.
 */
// biome-ignore lint/suspicious/noExplicitAny: works for any table that carries an org-unit path
export function inScope(eb: ExpressionBuilder<any, any>, column: string, paths: readonly string[]): ExpressionWrapper<any, any, SqlBool> {
  if (paths.length === 0) return eb.val(false) as unknown as ExpressionWrapper<never, never, SqlBool>;
  return eb.or(paths.map((p) => eb(eb.ref(column), 'like', `${escapeLike(p)}%`)));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The same condition as raw SQL, for hand-written queries. */
export function scopeSql(column: string, paths: readonly string[]) {
  if (paths.length === 0) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(column)} like any (${sql.val(paths.map((p) => `${escapeLike(p)}%`))})`;
}
