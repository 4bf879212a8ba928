-- Text checks as the app's model has them (app/core/model.py, check_field): a one-line text (a name,
-- a title, a contact, a place, a group's name) refuses every control character — C0, DEL and C1
-- (U+0080–U+009F, NEL U+0085 among them) — and the line and paragraph separators U+2028 / U+2029;
-- a description takes tab, line feed and carriage return, and nothing else of those.
--
-- NOT VALID: the checks hold for every row inserted or updated from now on, and rows loaded before
-- are not checked, so this migration applies to any database, whatever it holds. (The app repairs
-- such texts in its own stored data: a C1 character becomes U+FFFD, a line separator a space in a
-- one-line text or a line feed in a description; the next export loads over the old row.) To list
-- the rows that break a check: `alter table public.cellules validate constraint cellules_name_check;`
-- names the first one.
--
-- Every literal holding a backslash is an escape string E'…' (backslashes doubled), as in the first
-- migration: this file means the same whatever `standard_conforming_strings` is.

alter table public.instances
  drop constraint instances_name_check,
  add constraint instances_name_check check (char_length(name) between 1 and 120
    and name !~ E'[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid;

alter table public.cellules
  drop constraint cellules_name_check,
  add constraint cellules_name_check check (char_length(name) between 1 and 120 and name ~ '[^[:space:]]'
    and name !~ E'[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid,
  drop constraint cellules_description_check,
  add constraint cellules_description_check check (char_length(description) <= 2000
    and description !~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid,
  drop constraint cellules_contact_check,
  add constraint cellules_contact_check check (char_length(contact) <= 200
    and contact !~ E'[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid;

alter table public.ateliers
  drop constraint ateliers_title_check,
  add constraint ateliers_title_check check (char_length(title) between 1 and 120 and title ~ '[^[:space:]]'
    and title !~ E'[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid,
  drop constraint ateliers_place_check,
  add constraint ateliers_place_check check (char_length(place) <= 200
    and place !~ E'[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid,
  drop constraint ateliers_description_check,
  add constraint ateliers_description_check check (char_length(description) <= 2000
    and description !~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid;

-- A source's name is a group's name (the app checks it with the same rule).
alter table public.federated_sources
  drop constraint federated_sources_name_check,
  add constraint federated_sources_name_check check (char_length(name) between 1 and 120
    and name !~ E'[\\x01-\\x1f\\x7f-\\x9f\\u2028\\u2029]') not valid;
