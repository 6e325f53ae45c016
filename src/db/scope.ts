import { type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * A condition that `column` (an org-unit path such as 'ou.path') lies under one of `paths`.
 * No paths → false, so a user without the permission anywhere sees nothing.
 */
export function inScope(column: string, paths: readonly string[]): RawBuilder<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`false`;
  const tests = paths.map((p) => sql`${sql.ref(column)} like ${`${escapeLike(p)}%`}`);
  return sql<SqlBool>`(${sql.join(tests, sql` or `)})`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
