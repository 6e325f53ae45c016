import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractFields, RequisitesFields } from './EditFields.tsx';
import { EditModal } from './EditModal.tsx';
import {
  addMonths,
  CONTRACT_KEYS,
  type ContractForm,
  contractBody,
  type EditOptions,
  type RequisitesForm,
  requisiteKeysFor,
  requisitesOfCard,
  requisitesPatch,
  termsOf,
  todayInTashkent,
} from './edit-forms.ts';
import type { ConsumerCard } from './types.ts';

/** "Edit requisites": the card's requisites in a form; only what changed is sent (PATCH). */
export function RequisitesEditor(props: {
  card: ConsumerCard;
  options: EditOptions | null;
  onSaved: (c: ConsumerCard) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState<RequisitesForm>(requisitesOfCard(props.card));
  const before = requisitesOfCard(props.card);
  return (
    <>
      <Button
        size="xs"
        variant="light"
        onClick={() => {
          setForm(requisitesOfCard(props.card));
          setOpened(true);
        }}
        data-testid="edit-requisites"
      >
        {t('consumers.edit.editRequisites')}
      </Button>
      <EditModal
        opened={opened}
        title={t('consumers.edit.editRequisites')}
        testId="requisites-form"
        fields={requisiteKeysFor(props.card.kind)}
        onClose={() => setOpened(false)}
        onSaved={(c) => {
          setOpened(false);
          props.onSaved(c);
        }}
        request={() => {
          const patch = requisitesPatch(form, before);
          return Object.keys(patch).length === 0
            ? null
            : { method: 'PATCH', url: `/api/consumers/${props.card.id}`, body: patch };
        }}
      >
        {(errors) => (
          <RequisitesFields
            kind={props.card.kind}
            value={form}
            onChange={setForm}
            errors={errors}
            options={props.options}
          />
        )}
      </EditModal>
    </>
  );
}

/** A new contract's starting values: the consumer's district, today (or the open period's 1st). */
function newContract(card: ConsumerCard, options: EditOptions): ContractForm {
  const today = todayInTashkent();
  const open = options.lastClosed ? addMonths(options.lastClosed, 1) : today.slice(0, 7);
  const district = options.districts.find((d) => d.id === card.orgUnit.id) ?? options.districts[0];
  return {
    ...termsOf(null, options),
    number: '',
    orgUnitId: district?.id ?? '',
    startDate: today.slice(0, 7) >= open ? today : `${open}-01`,
  };
}

/** "Add contract": another contract (personal account) of the consumer. */
export function AddContractEditor(props: {
  card: ConsumerCard;
  options: EditOptions;
  onSaved: (c: ConsumerCard) => void;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState<ContractForm>(newContract(props.card, props.options));
  return (
    <>
      <Button
        size="xs"
        variant="light"
        onClick={() => {
          setForm(newContract(props.card, props.options));
          setOpened(true);
        }}
        data-testid="add-contract"
      >
        {t('consumers.edit.addContract')}
      </Button>
      <EditModal
        opened={opened}
        title={t('consumers.edit.addContract')}
        testId="contract-form"
        fields={CONTRACT_KEYS}
        onClose={() => setOpened(false)}
        onSaved={(c) => {
          setOpened(false);
          props.onSaved(c);
        }}
        request={() => ({
          method: 'POST',
          url: `/api/consumers/${props.card.id}/contracts`,
          body: contractBody(form),
        })}
      >
        {(errors) => (
          <ContractFields
            commodity={props.options.commodity}
            value={form}
            onChange={setForm}
            errors={errors}
            options={props.options}
          />
        )}
      </EditModal>
    </>
  );
}
