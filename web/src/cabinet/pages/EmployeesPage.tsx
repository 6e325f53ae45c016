import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Fieldset,
  FileInput,
  Group,
  Pagination,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  checkEmployeeList,
  EMPLOYEE_FIELDS,
  type EmployeeField,
  type EmployeeRowError,
  type EmployeeRowInput,
  parseEmployeeCsv,
  toEmployeeCsv,
} from '../../../../src/domain/employee-list.ts';
import { formatDateTime } from '../../format.ts';
import { errorMessage } from '../../office/errors.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinet, useCabinetData } from '../session.tsx';
import type { EmployeeList, EmployeeListStatus, EmployeeLists } from '../types.ts';

// R6 function 7: the company's employee list per procedure No. 1031. The consumer types the rows
// or imports a CSV file (checked row by row with the same code the server runs), creates the PDF
// to sign, and signs it either here with the key file (web/src/cabinet/pfx-sign.ts, loaded only
// when used, so pkijs stays out of the main bundle; the key never leaves the browser) or elsewhere
// (E-IMZO) and uploads the .p7s. The district unit then confirms receipt.

const PAGE_SIZE = 20;
const STATUS_COLOR: Record<EmployeeListStatus, string> = {
  draft: 'gray',
  submitted: 'blue',
  received: 'teal',
};

type Row = Record<EmployeeField, string> & { key: number };

let nextKey = 1;
const emptyRow = (): Row => ({
  key: nextKey++,
  fullName: '',
  position: '',
  pinfl: '',
  passport: '',
  phone: '',
});
const toRow = (r: EmployeeRowInput): Row => ({
  key: nextKey++,
  fullName: r.fullName ?? '',
  position: r.position ?? '',
  pinfl: r.pinfl ?? '',
  passport: r.passport ?? '',
  phone: r.phone ?? '',
});

/** Text of a CSV file: UTF-8, or Windows-1251 as Excel saves "CSV" in Russian and Uzbek Windows. */
async function readCsv(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Saves text as a file through the browser. */
function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** One row error as a sentence: "Row 3, PINFL: wrong format". */
function describe(t: TFunction, e: EmployeeRowError): string {
  const problem = t(`cabinet.employees.codes.${e.code}`);
  if (e.field === 'list') return problem;
  return t('cabinet.employees.errorAt', {
    row: e.row,
    field: t(`cabinet.employees.fields.${e.field}`),
    problem,
  });
}

/** The rows of a new list: typed or imported, checked as they change, sent when all are valid. */
function NewListForm({ onCreated }: { onCreated: (list: EmployeeList) => void }) {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const [rows, setRows] = useState<Row[]>(() => [emptyRow()]);
  const [touched, setTouched] = useState(false);
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = useMemo(() => checkEmployeeList(rows), [rows]);
  const errors = touched && !check.ok ? check.errors : [];
  const cellError = new Map(errors.map((e) => [`${e.row}:${e.field}`, e.code]));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  const edit = (key: number, field: EmployeeField, value: string) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, [field]: value } : r)));

  const importFile = async (file: File | null) => {
    setNotice(null);
    setProblem(null);
    if (!file) return;
    const parsed = parseEmployeeCsv(await readCsv(file));
    if (parsed.length === 0) return setProblem(t('cabinet.employees.importEmpty'));
    setRows(parsed.map(toRow));
    setPage(1);
    setTouched(true);
    setNotice(t('cabinet.employees.imported', { count: parsed.length }));
  };

  const template = () =>
    download(
      'employees-1031.csv',
      `\ufeff${toEmployeeCsv(
        [],
        EMPLOYEE_FIELDS.map((f) => t(`cabinet.employees.fields.${f}`)),
      )}`,
      'text/csv;charset=utf-8',
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setProblem(null);
    if (!check.ok) {
      const first = check.errors[0]?.row ?? 1;
      setPage(Math.max(1, Math.ceil(first / PAGE_SIZE)));
      return;
    }
    setBusy(true);
    try {
      const list = await cabinet.call<EmployeeList>('POST', '/api/cabinet/employee-lists', {
        rows: check.rows,
        lang: i18n.language,
      });
      setRows([emptyRow()]);
      setTouched(false);
      setNotice(null);
      setPage(1);
      onCreated(list);
    } catch (err) {
      setProblem(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} size="h5">
            {t('cabinet.employees.new')}
          </Title>
          <Group align="flex-end" wrap="wrap">
            <FileInput
              label={t('cabinet.employees.import')}
              description={t('cabinet.employees.importHint')}
              name="csv"
              accept=".csv,text/csv"
              clearable
              onChange={(f) => void importFile(f)}
              style={{ flex: '1 1 260px' }}
            />
            <Button variant="subtle" onClick={template}>
              {t('cabinet.employees.template')}
            </Button>
          </Group>
          {notice && (
            <Alert color="blue" data-testid="employees-imported">
              {notice}
            </Alert>
          )}
          {errors.length > 0 && (
            <Alert
              color="red"
              role="alert"
              title={t('cabinet.employees.errorsTitle')}
              data-testid="employees-errors"
            >
              <Stack gap={2}>
                {errors.slice(0, 10).map((e) => (
                  <Text size="sm" key={`${e.row}-${e.field}-${e.code}`}>
                    {describe(t, e)}
                  </Text>
                ))}
                {errors.length > 10 && (
                  <Text size="sm">{t('cabinet.employees.more', { count: errors.length - 10 })}</Text>
                )}
              </Stack>
            </Alert>
          )}
          {shown.map((r, i) => {
            const no = (page - 1) * PAGE_SIZE + i + 1;
            return (
              <Fieldset
                key={r.key}
                legend={t('cabinet.employees.employee', { n: no })}
                data-testid="employee-row"
              >
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
                  {EMPLOYEE_FIELDS.map((f) => {
                    const code = cellError.get(`${no}:${f}`);
                    return (
                      <TextInput
                        key={f}
                        label={t(`cabinet.employees.fields.${f}`)}
                        description={t(`cabinet.employees.hints.${f}`)}
                        name={`${f}-${no}`}
                        required={f === 'fullName' || f === 'position' || f === 'pinfl'}
                        inputMode={f === 'pinfl' ? 'numeric' : f === 'phone' ? 'tel' : undefined}
                        autoComplete="off"
                        value={r[f]}
                        error={code ? t(`cabinet.employees.codes.${code}`) : undefined}
                        onChange={(e) => edit(r.key, f, e.currentTarget.value)}
                      />
                    );
                  })}
                </SimpleGrid>
                {rows.length > 1 && (
                  <Group justify="flex-end" mt="xs">
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                    >
                      {t('cabinet.employees.remove')}
                    </Button>
                  </Group>
                )}
              </Fieldset>
            );
          })}
          {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">{t('cabinet.employees.total', { count: rows.length })}</Text>
            <Button
              variant="light"
              onClick={() => {
                setRows((rs) => [...rs, emptyRow()]);
                setPage(Math.ceil((rows.length + 1) / PAGE_SIZE));
              }}
            >
              {t('cabinet.employees.add')}
            </Button>
          </Group>
          {problem && (
            <Alert color="red" role="alert" data-testid="employees-problem">
              {problem}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {t('cabinet.employees.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** The bytes of a list's PDF, exactly as the server stored them. */
async function pdfOf(id: string): Promise<Uint8Array> {
  const res = await fetch(`/api/cabinet/employee-lists/${id}/pdf`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`PDF ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Signing a draft: with the key file in this browser, or by uploading a .p7s made elsewhere. */
function SignPanel({ list, onSigned }: { list: EmployeeList; onSigned: () => void }) {
  const { t } = useTranslation();
  const cabinet = useCabinet();
  const [mode, setMode] = useState<'pfx' | 'p7s'>('pfx');
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [p7s, setP7s] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = (signature: string) =>
    cabinet.call<EmployeeList>('POST', `/api/cabinet/employee-lists/${list.id}/signature`, { signature });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (mode === 'pfx' && (!keyFile || password === ''))
      return setProblem(t('cabinet.employees.sign.needKey'));
    if (mode === 'p7s' && !p7s) return setProblem(t('cabinet.employees.sign.needSignature'));
    setBusy(true);
    try {
      if (mode === 'pfx' && keyFile) {
        const [{ openPfx, signDetached }, pdf, file] = await Promise.all([
          import('../pfx-sign.ts'),
          pdfOf(list.id),
          keyFile.arrayBuffer(),
        ]);
        const identity = await openPfx(new Uint8Array(file), password);
        await send(base64(await signDetached(identity, pdf)));
      } else if (p7s) {
        const bytes = new Uint8Array(await p7s.arrayBuffer());
        const text = new TextDecoder('latin1').decode(bytes.subarray(0, 16));
        await send(text.startsWith('-----BEGIN') ? new TextDecoder().decode(bytes) : base64(bytes));
      }
      setPassword('');
      onSigned();
    } catch (err) {
      const pfxProblem =
        err instanceof Error && err.name === 'PfxError' ? (err as { problem?: string }).problem : null;
      setProblem(pfxProblem ? t(`cabinet.employees.sign.problems.${pfxProblem}`) : errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" mt="sm">
        <Text fw={600}>{t('cabinet.employees.sign.title')}</Text>
        <SegmentedControl
          aria-label={t('cabinet.employees.sign.how')}
          value={mode}
          onChange={(v) => setMode(v === 'p7s' ? 'p7s' : 'pfx')}
          data={[
            { value: 'pfx', label: t('cabinet.employees.sign.pfx') },
            { value: 'p7s', label: t('cabinet.employees.sign.p7s') },
          ]}
          fullWidth
        />
        {mode === 'pfx' ? (
          <>
            <FileInput
              label={t('cabinet.employees.sign.keyFile')}
              description={t('cabinet.employees.sign.keyHint')}
              name="keyFile"
              accept=".pfx,.p12,application/x-pkcs12"
              value={keyFile}
              onChange={setKeyFile}
            />
            <PasswordInput
              label={t('cabinet.employees.sign.password')}
              name="keyPassword"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
          </>
        ) : (
          <FileInput
            label={t('cabinet.employees.sign.signature')}
            description={t('cabinet.employees.sign.signatureHint')}
            name="signature"
            accept=".p7s,.p7m,.sig,.pem,application/pkcs7-signature"
            value={p7s}
            onChange={setP7s}
          />
        )}
        {problem && (
          <Alert color="red" role="alert" data-testid="sign-problem">
            {problem}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {mode === 'pfx' ? t('cabinet.employees.sign.submit') : t('cabinet.employees.sign.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One list: status, files, who signed and who received it; the signing panel while a draft. */
function ListCard({ list, onSigned }: { list: EmployeeList; onSigned: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const base = `/api/cabinet/employee-lists/${list.id}`;
  return (
    <Card withBorder data-testid="employee-list">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={3} size="h5">
            {t('cabinet.employees.numbered', { id: list.id, date: formatDateTime(list.createdAt, lang) })}
          </Title>
          <Text size="sm" c="dimmed">
            {t('cabinet.employees.count', { count: list.rowCount })}
          </Text>
        </div>
        <Badge color={STATUS_COLOR[list.status]} data-testid="employee-list-status">
          {t(`cabinet.employees.statuses.${list.status}`)}
        </Badge>
      </Group>
      <Group mt="xs" gap="md" wrap="wrap">
        <Anchor href={`${base}/pdf`} target="_blank">
          {t('cabinet.employees.pdf')}
        </Anchor>
        {list.status !== 'draft' && <Anchor href={`${base}/signature`}>{t('cabinet.employees.p7s')}</Anchor>}
      </Group>
      {list.signer && list.signedAt && (
        <Text size="sm" mt="xs">
          {t('cabinet.employees.signedBy', {
            name: list.signer.commonName,
            inn: list.signer.inn,
            at: formatDateTime(list.signedAt, lang),
          })}
        </Text>
      )}
      {list.status === 'submitted' && (
        <Text size="sm" c="dimmed">
          {t('cabinet.employees.waiting')}
        </Text>
      )}
      {list.receivedAt && (
        <Text size="sm" fw={600} data-testid="employee-list-received">
          {t('cabinet.employees.receivedBy', {
            name: list.receivedBy ?? t('cabinet.app.staff'),
            at: formatDateTime(list.receivedAt, lang),
          })}
        </Text>
      )}
      {list.status === 'draft' && <SignPanel list={list} onSigned={onSigned} />}
    </Card>
  );
}

/** R6 function 7: make, sign and send the employee list; follow its receipt. */
export function EmployeesPage() {
  const { t } = useTranslation();
  const { data, error, reload } = useCabinetData<EmployeeLists>('/api/cabinet/employee-lists');
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Loaded data={data} error={error}>
      {(d) => (
        <Stack>
          <PageTitle title={t('cabinet.employees.title')} at={d.dataAsOf} />
          <Text size="sm">{t('cabinet.employees.intro')}</Text>
          <NewListForm
            onCreated={(list) => {
              setMessage(t('cabinet.employees.created', { id: list.id }));
              reload();
            }}
          />
          {message && (
            <Alert color="teal" data-testid="employees-message">
              {message}
            </Alert>
          )}
          <Title order={3} size="h4">
            {t('cabinet.employees.lists')}
          </Title>
          {d.items.length === 0 && <Text>{t('cabinet.employees.none')}</Text>}
          {d.items.map((list) => (
            <ListCard
              key={list.id}
              list={list}
              onSigned={() => {
                setMessage(t('cabinet.employees.sign.done'));
                reload();
              }}
            />
          ))}
        </Stack>
      )}
    </Loaded>
  );
}

/** The consumer's lists the district unit confirmed as received, for the confirmations page (function 12). */
export function useEmployeeReceipts(): EmployeeList[] {
  const { data } = useCabinetData<EmployeeLists>('/api/cabinet/employee-lists');
  return (data?.items ?? []).filter((l) => l.receivedAt !== null);
}

/** One confirmation "list per procedure No. 1031 received": which list, by whom, when. */
export function EmployeeReceiptCard({ list }: { list: EmployeeList }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Card withBorder data-testid="confirmation">
      <Group justify="space-between" wrap="wrap">
        <Text fw={600}>
          {t('cabinet.employees.receipt', { id: list.id, date: formatDateTime(list.createdAt, lang) })}
        </Text>
        <Badge color={STATUS_COLOR.received}>{t('cabinet.employees.statuses.received')}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {formatDateTime(list.receivedAt ?? list.createdAt, lang)} ·{' '}
        {list.receivedBy ?? t('cabinet.app.staff')}
      </Text>
    </Card>
  );
}
