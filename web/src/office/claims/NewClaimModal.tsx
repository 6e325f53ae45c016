import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { formatMoney } from '../../format.ts';
import { errorMessage } from '../errors.ts';
import { todayInTashkent } from './parts.tsx';
import { CLAIM_GROUNDS, CLAIM_KINDS, type Claim, type ClaimDraft, type ClaimKind } from './types.ts';

/**
 * The form that opens a claim against a contract (POST /api/claims): its kind, the ground of a
 * disconnection order, the document's date, the debt (empty: the account's debt on that day, as the
 * server computes it), a penalty, the court and case of a court case, a note. A court case filed
 * from a pre-trial claim (`draft.parent`) takes its amounts. On success it opens the new claim.
 */
export function NewClaimModal(props: {
  draft: ClaimDraft | null;
  onClose: () => void;
  onCreated?: (claim: Claim) => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { draft } = props;
  const [kind, setKind] = useState<ClaimKind>('warning_letter');
  const [ground, setGround] = useState('debt');
  const [openedOn, setOpenedOn] = useState(todayInTashkent());
  const [debtAmount, setDebtAmount] = useState('');
  const [penaltyAmount, setPenaltyAmount] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [courtName, setCourtName] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [hearingOn, setHearingOn] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!draft) return;
    setKind(draft.kind ?? 'warning_letter');
    setGround('debt');
    setOpenedOn(todayInTashkent());
    setDebtAmount('');
    setPenaltyAmount('');
    setDueOn('');
    setCourtName('');
    setCaseNumber('');
    setHearingOn('');
    setNote('');
    setError(null);
  }, [draft]);

  const money = (s: string) => s.trim().replace(/\s/g, '').replace(',', '.');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(null);
    const court = kind === 'court_case';
    try {
      const claim = await api<Claim>('POST', '/api/claims', {
        contractId: draft.contractId,
        kind,
        ...(kind === 'disconnection_order' ? { ground } : {}),
        openedOn,
        ...(money(debtAmount) ? { debtAmount: money(debtAmount) } : {}),
        ...(money(penaltyAmount) ? { penaltyAmount: money(penaltyAmount) } : {}),
        ...(dueOn ? { dueOn } : {}),
        ...(court && courtName.trim() ? { courtName: courtName.trim() } : {}),
        ...(court && caseNumber.trim() ? { caseNumber: caseNumber.trim() } : {}),
        ...(court && hearingOn ? { hearingOn } : {}),
        ...(court && draft.parent ? { parentId: draft.parent.id } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      props.onCreated?.(claim);
      void navigate(`/claims/${claim.id}`);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={draft !== null}
      onClose={props.onClose}
      title={draft ? t('claims.newClaimFor', { contract: draft.contract }) : ''}
      size="lg"
    >
      {draft && (
        <form onSubmit={submit} noValidate data-testid="new-claim-form">
          <Stack>
            <Text size="sm">
              {draft.consumer}
              {draft.debt ? ` · ${formatMoney(draft.debt, i18n.language)}` : ''}
            </Text>
            {draft.parent && (
              <Text size="sm" c="dimmed">
                {t('claims.form.escalatesFrom', { number: draft.parent.number })}
              </Text>
            )}
            {error && (
              <Alert color="red" role="alert" data-testid="new-claim-error">
                {error}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <NativeSelect
                label={t('claims.form.kind')}
                value={kind}
                disabled={draft.parent !== undefined}
                onChange={(e) => setKind(e.currentTarget.value as ClaimKind)}
                data={CLAIM_KINDS.map((k) => ({ value: k, label: t(`claims.kinds.${k}`) }))}
                data-testid="new-claim-kind"
              />
              {kind === 'disconnection_order' && (
                <NativeSelect
                  label={t('claims.form.ground')}
                  value={ground}
                  onChange={(e) => setGround(e.currentTarget.value)}
                  data={CLAIM_GROUNDS.map((g) => ({ value: g, label: t(`claims.grounds.${g}`) }))}
                  data-testid="new-claim-ground"
                />
              )}
              <TextInput
                type="date"
                label={t('claims.form.openedOn')}
                value={openedOn}
                max={todayInTashkent()}
                onChange={(e) => setOpenedOn(e.currentTarget.value)}
              />
              <TextInput
                label={t('claims.form.debtAmount')}
                description={t('claims.form.debtHint')}
                inputMode="decimal"
                value={debtAmount}
                onChange={(e) => setDebtAmount(e.currentTarget.value)}
                data-testid="new-claim-debt"
              />
              <TextInput
                label={t('claims.form.penaltyAmount')}
                inputMode="decimal"
                value={penaltyAmount}
                onChange={(e) => setPenaltyAmount(e.currentTarget.value)}
              />
              <TextInput
                type="date"
                label={t('claims.form.dueOn')}
                value={dueOn}
                onChange={(e) => setDueOn(e.currentTarget.value)}
              />
              {kind === 'court_case' && (
                <>
                  <TextInput
                    label={t('claims.form.courtName')}
                    value={courtName}
                    onChange={(e) => setCourtName(e.currentTarget.value)}
                  />
                  <TextInput
                    label={t('claims.form.caseNumber')}
                    value={caseNumber}
                    onChange={(e) => setCaseNumber(e.currentTarget.value)}
                  />
                  <TextInput
                    type="date"
                    label={t('claims.form.hearingOn')}
                    value={hearingOn}
                    onChange={(e) => setHearingOn(e.currentTarget.value)}
                  />
                </>
              )}
            </SimpleGrid>
            <Textarea
              label={t('claims.form.note')}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={2000}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('claims.form.cancel')}
              </Button>
              <Button type="submit" loading={busy} data-testid="new-claim-submit">
                {t('claims.form.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
