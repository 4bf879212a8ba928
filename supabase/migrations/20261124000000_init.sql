-- Cellules FWB on Supabase (PostgreSQL 15+): tables, checks, indexes, row-level security, export.
--
-- Theory of operation
-- -------------------
-- Each browser instance is exported with `python -m app to-sql` or the app's button
-- « Exporter pour Supabase »: one transaction of INSERT … ON CONFLICT … DO UPDATE. Every editable
-- field of a record has its own hybrid-logical-clock column (`<field>_clock`, sortable text,
-- compared byte-wise with COLLATE "C", as are the values), and an update keeps, field by field, the value with the
-- larger (clock, value) — the app's merge rule (app/core/merge.py). That rule is a join, so
-- loading the exports of several instances in any order, any number of times, gives the same
-- rows; nothing is filled at load time (no now(), no serial ids).
-- Deletions are tombstones (`deleted` + `deleted_clock`), never DELETEs: a later load of an older
-- copy must not bring a deleted record back. A record is live when it is not deleted or when a
-- field was written after the deletion (views live_cellules and live_ateliers).
-- The per-device history of overwritten values is not stored here (it stays in the instances).
-- public.fwb_export_v1() gives the data back as a v1.0 export document (docs/supabase.md).

-- Every literal holding a backslash is an escape string E'…' (backslashes doubled): this file
-- means the same whatever `standard_conforming_strings` is, like the exports (app/core/sql.py).

-- A hybrid-logical-clock stamp (app/core/clock.py): sortable text, compared byte-wise.
create domain public.hlc as text collate "C"
  check (value ~ E'^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z-[0-9a-f]{4}-C[a-z0-9]{7}$');

-- Instances: the browsers whose exports were loaded, and every instance named by them (authors,
-- peers). The name kept is the latest one seen (named_at), ties by name.
create table public.instances (
  id text collate "C" primary key check (id ~ '^C[a-z0-9]{7}$'),
  name text collate "C" check (char_length(name) between 1 and 120 and name !~ E'[\\x01-\\x1f\\x7f\\u2028\\u2029]'),
  named_at timestamptz,
  exported_at timestamptz -- latest export of this instance loaded here (null: only heard of)
);

create table public.cellules (
  id text collate "C" primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  node_id text collate "C" not null check (node_id ~ '^[0-9a-f]{15}$'),
  name text collate "C" not null check (char_length(name) between 1 and 120 and name ~ '[^[:space:]]'
                            and name !~ E'[\\x01-\\x1f\\x7f\\u2028\\u2029]'),
  description text collate "C" not null default '' check (char_length(description) <= 2000
                            and description !~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u2028\\u2029]'),
  contact text collate "C" not null default '' check (char_length(contact) <= 200
                            and contact !~ E'[\\x01-\\x1f\\x7f\\u2028\\u2029]'),
  deleted boolean not null default false,
  created_at timestamptz not null,
  origin text collate "C" not null references public.instances (id),
  extra jsonb not null default '{}' check (jsonb_typeof(extra) = 'object'),
  node_id_clock public.hlc not null,
  name_clock public.hlc not null,
  description_clock public.hlc not null,
  contact_clock public.hlc not null,
  deleted_clock public.hlc not null
);
create table public.ateliers (
  id text collate "C" primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$'),
  cellule_id text collate "C" not null
    references public.cellules (id) deferrable initially deferred,
  title text collate "C" not null check (char_length(title) between 1 and 120 and title ~ '[^[:space:]]'
                            and title !~ E'[\\x01-\\x1f\\x7f\\u2028\\u2029]'),
  starts_at timestamptz not null,
  ends_at timestamptz, -- not checked against starts_at: the two fields merge independently
  place text collate "C" not null default '' check (char_length(place) <= 200
                            and place !~ E'[\\x01-\\x1f\\x7f\\u2028\\u2029]'),
  description text collate "C" not null default '' check (char_length(description) <= 2000
                            and description !~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u2028\\u2029]'),
  deleted boolean not null default false,
  created_at timestamptz not null,
  origin text collate "C" not null references public.instances (id),
  extra jsonb not null default '{}' check (jsonb_typeof(extra) = 'object'),
  cellule_id_clock public.hlc not null,
  title_clock public.hlc not null,
  starts_at_clock public.hlc not null,
  ends_at_clock public.hlc not null,
  place_clock public.hlc not null,
  description_clock public.hlc not null,
  deleted_clock public.hlc not null
);

-- What each instance imported from whom (its federatedSources list); the latest import is kept.
create table public.federated_sources (
  instance_id text collate "C" not null references public.instances (id),
  source_id text collate "C" not null references public.instances (id),
  name text collate "C" not null check (char_length(name) between 1 and 120),
  imported_at timestamptz not null,
  cellule_count integer not null check (cellule_count >= 0),
  atelier_count integer not null check (atelier_count >= 0),
  primary key (instance_id, source_id)
);

-- Provenance: which loaded instances held each record (the author is the record's `origin`).
create table public.cellule_holders (
  cellule_id text collate "C" not null references public.cellules (id) deferrable initially deferred,
  instance_id text collate "C" not null references public.instances (id),
  primary key (cellule_id, instance_id)
);
create table public.atelier_holders (
  atelier_id text collate "C" not null references public.ateliers (id) deferrable initially deferred,
  instance_id text collate "C" not null references public.instances (id),
  primary key (atelier_id, instance_id)
);

-- The app's queries: cellules of a grid node, ateliers of a cellule (by date), by author, by holder.
create index cellules_node_id_idx on public.cellules (node_id);
create index cellules_origin_idx on public.cellules (origin);
create index ateliers_cellule_id_idx on public.ateliers (cellule_id, starts_at);
create index ateliers_origin_idx on public.ateliers (origin);
create index federated_sources_source_id_idx on public.federated_sources (source_id);
create index cellule_holders_instance_id_idx on public.cellule_holders (instance_id);
create index atelier_holders_instance_id_idx on public.atelier_holders (instance_id);

-- Live records: not deleted, or edited after the deletion (that edit survives it). An atelier is
-- shown only while its cellule is live. security_invoker: the caller's row-level security applies.
create view public.live_cellules with (security_invoker = true) as
  select * from public.cellules c
  where not c.deleted
     or greatest(c.node_id_clock, c.name_clock, c.description_clock, c.contact_clock) > c.deleted_clock;

create view public.live_ateliers with (security_invoker = true) as
  select a.* from public.ateliers a
  join public.live_cellules c on c.id = a.cellule_id
  where not a.deleted
     or greatest(a.cellule_id_clock, a.title_clock, a.starts_at_clock, a.ends_at_clock, a.place_clock,
                 a.description_clock) > a.deleted_clock;

-- Row-level security: signed-in members read everything and may add or edit records; nobody
-- deletes rows through the API (a deletion is an update setting `deleted`, so that it travels and
-- is not undone by loading an older export). Anonymous visitors see nothing. Loads from the SQL
-- editor or `psql` run as the table owner, which row-level security does not restrict.
alter table public.instances enable row level security;
alter table public.cellules enable row level security;
alter table public.ateliers enable row level security;
alter table public.federated_sources enable row level security;
alter table public.cellule_holders enable row level security;
alter table public.atelier_holders enable row level security;

create policy "members read instances" on public.instances for select to authenticated using (true);
create policy "members read sources" on public.federated_sources for select to authenticated using (true);
create policy "members read cellule holders" on public.cellule_holders for select to authenticated using (true);
create policy "members read atelier holders" on public.atelier_holders for select to authenticated using (true);
create policy "members read cellules" on public.cellules for select to authenticated using (true);
create policy "members add cellules" on public.cellules for insert to authenticated with check (true);
create policy "members edit cellules" on public.cellules for update to authenticated using (true) with check (true);
create policy "members read ateliers" on public.ateliers for select to authenticated using (true);
create policy "members add ateliers" on public.ateliers for insert to authenticated with check (true);
create policy "members edit ateliers" on public.ateliers for update to authenticated using (true) with check (true);

grant select on public.instances, public.federated_sources, public.cellule_holders, public.atelier_holders,
  public.live_cellules, public.live_ateliers to authenticated;
grant select, insert, update on public.cellules, public.ateliers to authenticated;

-- Back to the autonomous mode: the whole database as a v1.0 export document (kind "full",
-- tombstones included). `select public.fwb_export_v1()` in the SQL editor, or
-- psql "$DATABASE_URL" -Atc 'select public.fwb_export_v1()' > cellules-supabase.json
create function public.fwb_time(t timestamptz) returns text
  language sql immutable strict set search_path = ''
  as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

create function public.fwb_export_v1(p_instance_id text default 'Csupabas',
                                     p_instance_name text default 'Supabase')
  returns jsonb language sql stable security invoker set search_path = ''
as $$
  select jsonb_build_object(
    'version', '1.0',
    'instanceId', p_instance_id,
    'instanceName', p_instance_name,
    'exportedAt', public.fwb_time(now()),
    'kind', 'full',
    'cellules', coalesce((
      select jsonb_agg(c.extra || jsonb_build_object(
          'id', c.id, 'nodeId', c.node_id, 'name', c.name, 'description', c.description,
          'contact', c.contact, 'createdAt', public.fwb_time(c.created_at),
          'updatedAt', left(greatest(c.node_id_clock, c.name_clock, c.description_clock, c.contact_clock,
                                     c.deleted_clock), 24),
          'origin', c.origin, 'deleted', c.deleted,
          'sync', jsonb_build_object('clock', jsonb_build_object(
            'nodeId', c.node_id_clock, 'name', c.name_clock, 'description', c.description_clock,
            'contact', c.contact_clock, 'deleted', c.deleted_clock)))
        order by c.id)
      from public.cellules c), '[]'::jsonb),
    'ateliers', coalesce((
      select jsonb_agg(a.extra || jsonb_strip_nulls(jsonb_build_object(
          'id', a.id, 'celluleId', a.cellule_id, 'title', a.title,
          'startsAt', public.fwb_time(a.starts_at), 'endsAt', public.fwb_time(a.ends_at),
          'place', a.place, 'description', a.description, 'createdAt', public.fwb_time(a.created_at),
          'updatedAt', left(greatest(a.cellule_id_clock, a.title_clock, a.starts_at_clock, a.ends_at_clock,
                                     a.place_clock, a.description_clock, a.deleted_clock), 24),
          'origin', a.origin, 'deleted', a.deleted,
          'sync', jsonb_build_object('clock', jsonb_build_object(
            'celluleId', a.cellule_id_clock, 'title', a.title_clock, 'startsAt', a.starts_at_clock,
            'endsAt', a.ends_at_clock, 'place', a.place_clock, 'description', a.description_clock,
            'deleted', a.deleted_clock))))
        order by a.id)
      from public.ateliers a), '[]'::jsonb),
    'federatedSources', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', i.id, 'name', i.name, 'importedAt', public.fwb_time(i.exported_at),
          'celluleCount', (select count(*) from public.cellule_holders h where h.instance_id = i.id),
          'atelierCount', (select count(*) from public.atelier_holders h where h.instance_id = i.id))
        order by i.id)
      from public.instances i where i.exported_at is not null and i.name is not null), '[]'::jsonb)
  )
$$;
grant execute on function public.fwb_time(timestamptz), public.fwb_export_v1(text, text) to authenticated;
