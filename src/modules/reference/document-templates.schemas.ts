import { z } from 'zod';
import { LOCALES } from '../../i18n/locale.ts';
import { TEMPLATE_KINDS } from './document-template-kinds.ts';
import { ZDate } from './tariffs.schemas.ts';

/** A template kind in a path. */
export const ZTemplateKind = z.enum(TEMPLATE_KINDS);

/** The language of a template in a path. */
export const ZTemplateLang = z.enum(LOCALES);

// Control characters other than tab and line ends have no place in a document (and PostgreSQL
// refuses NUL in text); the size limit per kind is the service's, with its own error code.
const isControl = (c: number) => (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127;
const ZBody = z
  .string()
  .max(100_000)
  .refine((s) => ![...s].some((ch) => isControl(ch.charCodeAt(0))), 'control characters');

/** A version as the editor sends it. */
export const ZTemplateVersionInput = z.object({ validFrom: ZDate, body: ZBody });
export type TemplateVersionInput = z.infer<typeof ZTemplateVersionInput>;

/** What a preview renders: a body (not saved) against a contract, or sample values without one. */
export const ZTemplatePreviewInput = z.object({
  body: ZBody,
  contractNumber: z.string().trim().max(32).optional(),
});

/** A stored version with who made it and what may still be done with it. */
export const ZTemplateVersion = z.object({
  id: z.string(),
  validFrom: z.string(),
  body: z.string(),
  /** past: replaced by a later one; current: in force today; future: starts after today. */
  state: z.enum(['past', 'current', 'future']),
  /** Starts after today and not before the open period: may be changed or removed. */
  editable: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type TemplateVersionView = z.infer<typeof ZTemplateVersion>;

const ZKindRules = {
  kind: ZTemplateKind,
  variables: z.array(z.string()),
  required: z.boolean(),
  maxLength: z.number().int(),
};

/** One language of a kind in the overview. */
export const ZTemplateLanguage = z.object({
  lang: ZTemplateLang,
  builtIn: z.string(),
  /** The supplier's version in force today; null = the built-in text. */
  current: ZTemplateVersion.nullable(),
  /** The next version, starting after today. */
  next: ZTemplateVersion.nullable(),
  versionCount: z.number().int(),
});

/** Every kind with its rules and, per language, what is in force today. */
export const ZTemplateOverview = z.object({
  today: z.string(),
  /** The first day of the open period: the earliest start a new version may have. */
  openFrom: z.string(),
  kinds: z.array(z.object({ ...ZKindRules, languages: z.array(ZTemplateLanguage) })),
});

const ZChange = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

/** One kind in one language: its versions newest first and the audit trail of every change. */
export const ZTemplateDetail = z.object({
  ...ZKindRules,
  lang: ZTemplateLang,
  builtIn: z.string(),
  today: z.string(),
  openFrom: z.string(),
  /** The id of the version in force today; null = the built-in text. */
  current: z.string().nullable(),
  versions: z.array(ZTemplateVersion),
  history: z.array(ZChange),
});
export type TemplateDetail = z.infer<typeof ZTemplateDetail>;
