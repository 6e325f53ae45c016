-- The office inbox (issue 6 point 6): an application is assigned to a staff member of its unit,
-- and an approved change of requisites is applied to the consumer card, keeping what the card
-- said before (shown beside the new values; the audit row holds the same before/after).
alter table application add column assignee_id bigint references app_user (id);
alter table application add column applied jsonb;
create index application_assignee_idx on application (assignee_id) where assignee_id is not null;
