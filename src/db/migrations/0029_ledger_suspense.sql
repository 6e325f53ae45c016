-- Unidentified receipts (issue 7 point 5, decision 016): money a bank or post registry brought
-- that no contract could be found for is in the settlement account from the day it arrived, owed
-- to someone not yet known. NAS 21 keeps it on 6990, other liabilities, until a person matches it;
-- the match moves it from 6990 to the contract's receivables and advances.
insert into ledger_account (code, name, kind) values
  ('6990', 'Other liabilities: unidentified receipts', 'liability')
on conflict (code) do nothing;

-- Unmatched payments stored before this migration: the receipt they would have posted.
insert into ledger_entry (tenant_id, txn_id, posted_on, account_code, contract_id, debit, credit, source, source_id, memo)
select p.tenant_id, md5('unmatched:' || p.id)::uuid, p.paid_on, x.code, null, x.debit, x.credit, 'unmatched', p.id,
       'Unidentified receipt ' || p.channel
  from payment p
  join payment_channel c on c.code = p.channel
  left join ledger_channel_account m on m.channel_kind = c.kind
  cross join lateral (values (coalesce(m.account_code, '5710'), p.amount, 0::bigint),
                             ('6990', 0::bigint, p.amount)) as x(code, debit, credit)
 where p.status = 'unmatched';
