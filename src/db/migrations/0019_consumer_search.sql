-- Consumer search (issue 6): the office table of consumers stays an index probe at a million rows.
-- Names are searched by prefix and sorted lower-cased and byte-wise (collation "C"), which every
-- PostgreSQL and PGlite has, so one index serves both the prefix range and the sorted first page.
-- The INCLUDE columns let a count (and a scope or kind filter) be answered from the index alone.

-- Sort by name, and a name prefix, over the supplier.
create index consumer_search_name_idx on consumer (tenant_id, (lower(name) collate "C"), id)
  include (org_unit_id, kind, name);

-- The same with the kind filter (legal entities, entrepreneurs or households).
create index consumer_search_kind_idx on consumer (tenant_id, kind, (lower(name) collate "C"), id)
  include (org_unit_id, name);

-- Sort by org unit, then name: one short range per unit.
create index consumer_unit_name_idx on consumer (org_unit_id, (lower(name) collate "C"), id)
  include (kind, tenant_id);

-- A household's PINFL is a search key like the INN.
create index consumer_pinfl_idx on consumer (pinfl);

-- A consumer's contract numbers in order (its first one sorts the table by contract).
create index contract_consumer_number_idx on contract (consumer_id, number);
