import { AppError } from '../../domain/errors.ts';
import type { TemplateKindSpec } from './document-template-kinds.ts';

// The template language of document texts: plain text with placeholders `{{name}}` (spaces inside
// the braces allowed), nothing else — no conditions, loops, partials, escaping or code. A brace
// that is not part of a placeholder is an error, so a typo never prints half a placeholder on a
// legal document. Filling substitutes fixed, pre-formatted strings; the PDF renderer draws them
// as text, so there is no HTML to escape. See docs/decisions/019-document-templates.md.

/** A piece of a parsed body. */
export type TemplatePart = { text: string } | { variable: string };

/** Where a body's braces go wrong: 1-based line and column, and the text there. */
export type TemplateSyntaxError = { line: number; column: number; excerpt: string };

const NAME = /^[ \t]*([A-Za-z][A-Za-z0-9_]*)[ \t]*$/;

function syntaxError(body: string, at: number): TemplateSyntaxError {
  const before = body.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const excerpt = body.slice(at, at + 24).split('\n')[0] ?? '';
  return { line, column, excerpt };
}

/** Splits a body into text and placeholders, or says where its braces are unbalanced. */
export function parseTemplate(
  body: string,
): { ok: true; parts: TemplatePart[] } | { ok: false; error: TemplateSyntaxError } {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === '}') return { ok: false, error: syntaxError(body, i) };
    if (ch !== '{') {
      text += ch;
      i += 1;
      continue;
    }
    const end = body[i + 1] === '{' ? body.indexOf('}}', i + 2) : -1;
    const name = end < 0 ? null : NAME.exec(body.slice(i + 2, end));
    if (!name?.[1]) return { ok: false, error: syntaxError(body, i) };
    if (text) parts.push({ text });
    text = '';
    parts.push({ variable: name[1] });
    i = end + 2;
  }
  if (text) parts.push({ text });
  return { ok: true, parts };
}

/**
 * Checks a body for a kind and returns it with line ends normalised to `\n`. Refused (400):
 * too long (TEMPLATE_BODY_TOO_LONG), blank where the kind needs text (TEMPLATE_BODY_REQUIRED),
 * unbalanced braces (TEMPLATE_BRACES_UNBALANCED, with line and column), a placeholder the kind
 * does not offer (TEMPLATE_UNKNOWN_PLACEHOLDER, naming it).
 */
export function checkTemplateBody(spec: TemplateKindSpec, raw: string): string {
  const body = raw.replace(/\r\n?/g, '\n');
  if (body.length > spec.maxLength)
    throw new AppError('TEMPLATE_BODY_TOO_LONG', `The text has ${body.length} characters`, {
      length: body.length,
      max: spec.maxLength,
    });
  if (spec.required && body.trim() === '')
    throw new AppError('TEMPLATE_BODY_REQUIRED', 'This document needs the text');
  const parsed = parseTemplate(body);
  if (!parsed.ok)
    throw new AppError(
      'TEMPLATE_BRACES_UNBALANCED',
      `Unbalanced braces at ${parsed.error.line}:${parsed.error.column}`,
      { ...parsed.error },
    );
  for (const part of parsed.parts) {
    if ('variable' in part && !spec.variables.includes(part.variable))
      throw new AppError('TEMPLATE_UNKNOWN_PLACEHOLDER', `Unknown placeholder ${part.variable}`, {
        placeholder: `{{${part.variable}}}`,
        name: part.variable,
        allowed: spec.variables.join(', '),
      });
  }
  return body;
}

/**
 * Fills a body's placeholders with `values`. Bodies are checked when saved, so this never fails:
 * a placeholder without a value (a variable a later release dropped) stays as written, visibly,
 * and a body that does not parse is returned as it is.
 */
export function fillTemplate(body: string, values: Readonly<Record<string, string>>): string {
  const parsed = parseTemplate(body);
  if (!parsed.ok) return body;
  return parsed.parts
    .map((p) =>
      'text' in p ? p.text : Object.hasOwn(values, p.variable) ? values[p.variable] : `{{${p.variable}}}`,
    )
    .join('');
}

/** The paragraphs of a filled text: one per non-blank line, trimmed. */
export function paragraphsOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
