-- The consumers' self-service cabinet (requirements R6, issue 5). The login is the contract
-- number; until the first sign-in the password is the consumer's INN (password_hash null), and
-- the cabinet opens nothing else until a new password is set.
create table cabinet_account (
  contract_id bigint primary key references contract (id),
  tenant_id bigint not null references tenant (id),
  password_hash text,
  must_change_password boolean not null default true,
  failed_attempts integer not null default 0 check (failed_attempts >= 0),
  locked_until timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz,
  created_at timestamptz not null default now(),
  check (must_change_password or password_hash is not null)
);

create table cabinet_session (
  id text primary key, -- sha-256 of the token; the token itself is only in the cookie
  contract_id bigint not null references contract (id) on delete cascade,
  csrf_secret text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index cabinet_session_contract_idx on cabinet_session (contract_id);
create index contract_number_idx on contract (number);
