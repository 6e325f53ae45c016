import {
  Alert,
  Anchor,
  Button,
  Card,
  FileInput,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../format.ts';
import { errorMessage } from '../../office/errors.ts';
import { Loaded, PageTitle } from '../parts.tsx';
import { useCabinet, useCabinetData } from '../session.tsx';
import type { Documents } from '../types.ts';

/** R6 function 9: invoices of the last 12 closed months and a reconciliation act, as PDF. */
export function DocumentsPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useCabinetData<Documents>('/api/cabinet/documents');
  const lang = i18n.language;
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  return (
    <Loaded data={data} error={error}>
      {(d) => {
        const periods = d.months.map((m) => m.period).sort();
        const actFrom = from ?? periods[0] ?? '';
        const actTo = to ?? periods[periods.length - 1] ?? '';
        const options = periods.map((p) => ({ value: p, label: formatPeriod(p, lang) }));
        return (
          <Stack>
            <PageTitle title={t('cabinet.nav.documents')} at={d.dataAsOf} />
            {d.months.length === 0 ? (
              <Text>{t('cabinet.documents.none')}</Text>
            ) : (
              <>
                <Card withBorder>
                  <Title order={3} size="h5" mb="sm">
                    {t('cabinet.documents.act')}
                  </Title>
                  <Group align="flex-end">
                    <NativeSelect
                      label={t('cabinet.documents.from')}
                      data={options}
                      value={actFrom}
                      onChange={(e) => setFrom(e.currentTarget.value)}
                    />
                    <NativeSelect
                      label={t('cabinet.documents.to')}
                      data={options}
                      value={actTo}
                      onChange={(e) => setTo(e.currentTarget.value)}
                    />
                    <Button
                      component="a"
                      href={`/api/cabinet/acts?from=${actFrom}&to=${actTo}&format=pdf&lang=${lang}`}
                      target="_blank"
                      disabled={actFrom > actTo}
                      data-testid="act-pdf"
                    >
                      {t('cabinet.documents.actPdf')}
                    </Button>
                    <Button
                      component="a"
                      variant="default"
                      href={`/api/cabinet/acts/signature?from=${actFrom}&to=${actTo}&lang=${lang}`}
                      disabled={actFrom > actTo}
                      data-testid="act-p7s"
                    >
                      {t('cabinet.documents.signature')}
                    </Button>
                  </Group>
                </Card>
                <Table.ScrollContainer minWidth={480}>
                  <Table striped data-testid="invoices">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('cabinet.settlements.period')}</Table.Th>
                        <Table.Th>{t('cabinet.documents.invoice')}</Table.Th>
                        <Table.Th ta="right">{t('cabinet.documents.total')}</Table.Th>
                        <Table.Th>PDF</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {d.months.map((m) => (
                        <Table.Tr key={m.period}>
                          <Table.Td>{formatPeriod(m.period, lang)}</Table.Td>
                          <Table.Td>
                            {m.invoice
                              ? `№ ${m.invoice.number}${m.invoice.issuedOn ? `, ${formatDate(m.invoice.issuedOn, lang)}` : ''}`
                              : '—'}
                          </Table.Td>
                          <Table.Td ta="right">
                            {m.invoice ? formatMoney(m.invoice.total, lang) : '—'}
                          </Table.Td>
                          <Table.Td>
                            {m.invoice && (
                              <Group gap="sm">
                                <Anchor
                                  href={`/api/cabinet/invoices/${m.period}?format=pdf&lang=${lang}`}
                                  target="_blank"
                                >
                                  {t('cabinet.documents.open')}
                                </Anchor>
                                <Anchor
                                  href={`/api/cabinet/invoices/${m.period}/signature?lang=${lang}`}
                                  title={t('cabinet.documents.signatureHint')}
                                  data-testid="invoice-p7s"
                                >
                                  .p7s
                                </Anchor>
                              </Group>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <Text size="sm" c="dimmed">
                  {t('cabinet.documents.signedNote')}
                </Text>
                <VerifyCard />
              </>
            )}
          </Stack>
        );
      }}
    </Loaded>
  );
}

type Verification = {
  valid: boolean;
  reason?: string;
  signer?: { commonName: string; organization: string; inn?: string };
  signedAt?: string;
};

/** Checks a PDF against its .p7s: whether the supplier signed exactly these bytes. */
function VerifyCard() {
  const { t, i18n } = useTranslation();
  const cabinet = useCabinet();
  const [document, setDocument] = useState<File | null>(null);
  const [signature, setSignature] = useState<File | null>(null);
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    setError(null);
    if (!document || !signature) return setError(t('cabinet.verify.both'));
    const form = new FormData();
    form.append('document', document, document.name);
    form.append('signature', signature, signature.name);
    try {
      setResult(await cabinet.upload<Verification>('/api/signatures/verify', form));
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} size="h5">
            {t('cabinet.verify.title')}
          </Title>
          <Group grow align="flex-start">
            <FileInput
              label={t('cabinet.verify.document')}
              name="document"
              accept="application/pdf"
              value={document}
              onChange={setDocument}
            />
            <FileInput
              label={t('cabinet.verify.signature')}
              name="signature"
              accept=".p7s,application/pkcs7-signature"
              value={signature}
              onChange={setSignature}
            />
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {result && (
            <Alert color={result.valid ? 'teal' : 'red'} data-testid="verify-result">
              {result.valid
                ? t('cabinet.verify.valid', {
                    signer: `${result.signer?.organization ?? ''}${result.signer?.inn ? `, ${result.signer.inn}` : ''}`,
                    at: result.signedAt ? formatDateTime(result.signedAt, i18n.language) : '',
                  })
                : t('cabinet.verify.invalid', {
                    reason: t(`cabinet.verify.reasons.${result.reason ?? 'malformed'}`),
                  })}
            </Alert>
          )}
          <Group>
            <Button type="submit" variant="light">
              {t('cabinet.verify.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
