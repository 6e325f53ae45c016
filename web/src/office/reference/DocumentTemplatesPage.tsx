import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type SessionResponse } from '../../api/client.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { LANGUAGES } from '../../i18n/index.ts';
import { errorMessage } from '../errors.ts';
import { todayInTashkent } from '../readings/types.ts';

type Lang = (typeof LANGUAGES)[number]['code'];

/** A stored version as the API shows it. */
type Version = {
  id: string;
  validFrom: string;
  body: string;
  state: 'past' | 'current' | 'future';
  editable: boolean;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
};

/** /api/reference/document-templates. */
type Overview = {
  today: string;
  openFrom: string;
  kinds: {
    kind: string;
    variables: string[];
    required: boolean;
    maxLength: number;
    languages: { lang: Lang; builtIn: string; current: Version | null; next: Version | null }[];
  }[];
};

/** /api/reference/document-templates/:kind/:lang. */
type Detail = {
  kind: string;
  lang: Lang;
  variables: string[];
  required: boolean;
  maxLength: number;
  builtIn: string;
  today: string;
  openFrom: string;
  current: string | null;
  versions: Version[];
  history: { at: string; action: string; actor: string | null }[];
};

const STATE_COLOR = { past: 'gray', current: 'teal', future: 'blue' } as const;

const placeholder = (name: string) => `{{${name}}}`;

/** The day after `day` ('YYYY-MM-DD'). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Sends the body to the preview route and opens the PDF it answers in a new tab. The tab is opened
 * at the click (so no pop-up blocker stops it) and closed again when the API refuses the text.
 */
async function openPreview(kind: string, lang: Lang, body: string, contractNumber: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const { csrfToken } = await api<SessionResponse>('GET', '/api/auth/me');
    const res = await fetch(`/api/reference/document-templates/${kind}/${lang}/preview`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/pdf', 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(
        contractNumber.trim() ? { body, contractNumber: contractNumber.trim() } : { body },
      ),
    });
    if (!res.ok) {
      const data = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string; details?: Record<string, unknown> };
      } | null;
      throw new ApiError(
        res.status,
        data?.error?.code ?? 'INTERNAL',
        data?.error?.message ?? res.statusText,
        data?.error?.details,
      );
    }
    const url = URL.createObjectURL(await res.blob());
    if (tab) tab.location.href = url;
    else window.open(url, '_blank');
  } catch (e) {
    tab?.close();
    throw e;
  }
}

/**
 * Document templates (R1): the wording of the contract's settlement terms, the invoice note and the
 * act's closing text, per language, in versions from a date. A kind × language grid shows what is
 * in force today; the chosen one has its versions, the audit trail and an editor with the allowed
 * placeholders and a PDF preview. Only versions that start after today may be changed or removed.
 */
export function DocumentTemplatesPage(props: { canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [overview, setOverview] = useState<Overview | null>(null);
  const [kind, setKind] = useState('contract_terms');
  const [textLang, setTextLang] = useState<Lang>('uz');
  const [detail, setDetail] = useState<Detail | null>(null);
  const [body, setBody] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [editing, setEditing] = useState<Version | null>(null);
  const [contract, setContract] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const editor = useRef<HTMLTextAreaElement>(null);

  const loadOverview = useCallback(() => {
    api<Overview>('GET', '/api/reference/document-templates')
      .then(setOverview)
      .catch((e: unknown) => setError(errorMessage(e, t)));
  }, [t]);
  useEffect(loadOverview, [loadOverview]);

  /** Puts a text into the editor as the start of a new version (from tomorrow, or the open period). */
  const startNew = useCallback((d: Detail, text: string) => {
    setEditing(null);
    setBody(text);
    const tomorrow = nextDay(d.today);
    // ISO dates order as text: the later of tomorrow and the open period's first day.
    setValidFrom([tomorrow, d.openFrom].sort()[1] ?? tomorrow);
  }, []);

  useEffect(() => {
    let live = true;
    setDetail(null);
    api<Detail>('GET', `/api/reference/document-templates/${kind}/${textLang}`)
      .then((d) => {
        if (!live) return;
        setDetail(d);
        const inForce = d.versions.find((v) => v.id === d.current);
        startNew(d, inForce?.body ?? d.builtIn);
      })
      .catch((e: unknown) => live && setError(errorMessage(e, t)));
    return () => {
      live = false;
    };
  }, [kind, textLang, t, startNew]);

  const insert = (name: string) => {
    const el = editor.current;
    const at = el ? el.selectionStart : body.length;
    const end = el ? el.selectionEnd : body.length;
    const text = placeholder(name);
    setBody(body.slice(0, at) + text + body.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };

  const saved = (d: Detail, message: string) => {
    setDetail(d);
    startNew(d, d.versions.find((v) => v.id === d.current)?.body ?? d.builtIn);
    setDone(message);
    loadOverview();
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const base = `/api/reference/document-templates/${kind}/${textLang}/versions`;
      const d = editing
        ? await api<Detail>('PUT', `${base}/${editing.id}`, { validFrom, body })
        : await api<Detail>('POST', base, { validFrom, body });
      saved(d, t('reference.templates.saved', { date: formatDate(validFrom, lang) }));
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (v: Version) => {
    if (!window.confirm(t('reference.templates.confirmRemove', { date: formatDate(v.validFrom, lang) })))
      return;
    setError(null);
    try {
      saved(
        await api<Detail>('DELETE', `/api/reference/document-templates/${kind}/${textLang}/versions/${v.id}`),
        t('reference.templates.removed'),
      );
    } catch (e) {
      setError(errorMessage(e, t));
    }
  };

  const preview = async () => {
    setError(null);
    try {
      await openPreview(kind, textLang, body, contract);
    } catch (e) {
      setError(errorMessage(e, t));
    }
  };

  const kindLabel = (k: string) => t(`reference.templates.kinds.${k}`);
  const langLabel = (l: string) => LANGUAGES.find((x) => x.code === l)?.label ?? l;

  return (
    <Stack>
      {done && (
        <Alert
          color="teal"
          role="status"
          withCloseButton
          onClose={() => setDone(null)}
          data-testid="reference-done"
        >
          {done}
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        {t('reference.templates.intro')}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table withTableBorder data-testid="template-grid">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('reference.templates.kind')}</Table.Th>
              {LANGUAGES.map((l) => (
                <Table.Th key={l.code}>{l.label}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overview?.kinds.map((k) => (
              <Table.Tr key={k.kind}>
                <Table.Td fw={600}>{kindLabel(k.kind)}</Table.Td>
                {k.languages.map((l) => {
                  const chosen = k.kind === kind && l.lang === textLang;
                  return (
                    <Table.Td
                      key={l.lang}
                      onClick={() => {
                        setKind(k.kind);
                        setTextLang(l.lang);
                        setDone(null);
                        setError(null);
                      }}
                      style={{ cursor: 'pointer' }}
                      bg={chosen ? 'blue.0' : undefined}
                      data-testid={`template-${k.kind}-${l.lang}`}
                    >
                      <Text size="sm">
                        {l.current
                          ? t('reference.templates.since', { date: formatDate(l.current.validFrom, lang) })
                          : t('reference.templates.builtIn')}
                      </Text>
                      {l.next && (
                        <Text size="xs" c="blue">
                          {t('reference.templates.nextFrom', { date: formatDate(l.next.validFrom, lang) })}
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {detail && (
        <Card withBorder>
          <Stack>
            <div>
              <Title order={4} data-testid="template-title">
                {kindLabel(detail.kind)} — {langLabel(detail.lang)}
              </Title>
              <Text size="sm" c="dimmed">
                {t('reference.templates.rules', { date: formatDate(detail.openFrom, lang) })}
              </Text>
            </div>

            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('reference.templates.variables')}
              </Text>
              <Group gap={4} data-testid="template-variables">
                {detail.variables.map((name) => (
                  <Button
                    key={name}
                    size="compact-xs"
                    variant="light"
                    title={t(`reference.templates.vars.${name}`)}
                    onClick={() => insert(name)}
                    data-testid={`template-var-${name}`}
                  >
                    {placeholder(name)}
                  </Button>
                ))}
              </Group>
              <Text size="xs" c="dimmed">
                {t('reference.templates.syntax', { example: placeholder(detail.variables[0] ?? 'name') })}
                {detail.kind === 'contract_terms' && ` ${t('reference.templates.clauses')}`}
              </Text>
            </Stack>

            <Textarea
              ref={editor}
              label={
                editing
                  ? t('reference.templates.editing', { date: formatDate(editing.validFrom, lang) })
                  : t('reference.templates.text')
              }
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              autosize
              minRows={6}
              maxRows={24}
              description={t('reference.templates.length', { n: body.length, max: detail.maxLength })}
              data-testid="template-body"
            />
            {error && (
              <Alert
                color="red"
                role="alert"
                withCloseButton
                onClose={() => setError(null)}
                data-testid="template-error"
              >
                {error}
              </Alert>
            )}
            <Group align="end" wrap="wrap">
              <TextInput
                label={t('reference.templates.contract')}
                placeholder={t('reference.templates.contractHint')}
                value={contract}
                onChange={(e) => setContract(e.currentTarget.value)}
                w={200}
                data-testid="template-contract"
              />
              <Button variant="default" onClick={() => void preview()} data-testid="template-preview">
                {t('reference.templates.preview')}
              </Button>
              {props.canWrite && (
                <>
                  <TextInput
                    type="date"
                    label={t('reference.templates.validFrom')}
                    value={validFrom}
                    min={detail.openFrom}
                    onChange={(e) => setValidFrom(e.currentTarget.value)}
                    data-testid="template-valid-from"
                  />
                  <Button
                    onClick={() => void save()}
                    loading={busy}
                    disabled={!validFrom}
                    data-testid="template-save"
                  >
                    {editing ? t('reference.save') : t('reference.templates.addVersion')}
                  </Button>
                  {editing && (
                    <Button
                      variant="subtle"
                      onClick={() =>
                        startNew(
                          detail,
                          detail.versions.find((v) => v.id === detail.current)?.body ?? detail.builtIn,
                        )
                      }
                    >
                      {t('reference.cancel')}
                    </Button>
                  )}
                </>
              )}
            </Group>

            <Table.ScrollContainer minWidth={720}>
              <Table striped data-testid="template-versions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reference.templates.validFrom')}</Table.Th>
                    <Table.Th>{t('reference.status')}</Table.Th>
                    <Table.Th>{t('reference.templates.text')}</Table.Th>
                    <Table.Th>{t('reference.who')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {detail.versions.map((v) => (
                    <Table.Tr key={v.id} data-testid={`template-version-${v.validFrom}`}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(v.validFrom, lang)}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Badge color={STATE_COLOR[v.state]} variant="light">
                          {t(`reference.templates.state.${v.state}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td maw={360}>
                        <Text size="xs" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
                          {v.body || t('reference.templates.empty')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">
                          {v.createdBy ?? '—'}, {formatDateTime(v.createdAt, lang)}
                        </Text>
                        {v.updatedAt && (
                          <Text size="xs" c="dimmed">
                            {t('reference.templates.changedBy', {
                              who: v.updatedBy ?? '—',
                              at: formatDateTime(v.updatedAt, lang),
                            })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" variant="subtle" onClick={() => startNew(detail, v.body)}>
                            {t('reference.templates.copy')}
                          </Button>
                          {props.canWrite && v.editable && (
                            <>
                              <Button
                                size="compact-xs"
                                variant="light"
                                onClick={() => {
                                  setEditing(v);
                                  setBody(v.body);
                                  setValidFrom(v.validFrom);
                                }}
                                data-testid={`template-edit-${v.validFrom}`}
                              >
                                {t('reference.edit')}
                              </Button>
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                color="red"
                                onClick={() => void remove(v)}
                              >
                                {t('reference.remove')}
                              </Button>
                            </>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  <Table.Tr data-testid="template-version-builtin">
                    <Table.Td>—</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="xs" fw={700} tt="uppercase" c={detail.current ? 'dimmed' : 'teal'}>
                        {t('reference.templates.builtIn')}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="xs" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
                        {detail.builtIn || t('reference.templates.empty')}
                      </Text>
                    </Table.Td>
                    <Table.Td />
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => startNew(detail, detail.builtIn)}
                      >
                        {t('reference.templates.copy')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>

            {detail.history.length > 0 && (
              <Stack gap={4} data-testid="template-history">
                <Text size="sm" fw={600}>
                  {t('reference.history')}
                </Text>
                {detail.history.map((h) => (
                  <Text key={`${h.at}-${h.action}`} size="xs">
                    {formatDateTime(h.at, lang)} · {h.actor ?? '—'} ·{' '}
                    <Code>{t(`reference.templates.actions.${h.action.split('.')[1] ?? ''}`)}</Code>
                  </Text>
                ))}
              </Stack>
            )}
            <Text size="xs" c="dimmed">
              {t('reference.templates.today', {
                date: formatDate(overview?.today ?? todayInTashkent(), lang),
              })}
            </Text>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
