-- Staff administration (issue 6 point 1): an administrator blocks and unblocks staff users.
-- The status the office and the API speak of is "blocked"; 0001 called it "disabled", which no
-- code ever wrote. Sign-in and every request already refuse any status but 'active'.
alter table app_user drop constraint app_user_status_check;
update app_user set status = 'blocked' where status = 'disabled';
alter table app_user add constraint app_user_status_check check (status in ('active', 'blocked'));

-- The users table of the office filters by status and sorts by name within a tenant.
create index app_user_tenant_name_idx on app_user (tenant_id, full_name);
