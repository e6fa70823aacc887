-- Search (db/prospects.ts searchPublishedProspects) reads the trigram GIN index of published_prospects. With GIN's
-- default fastupdate, each publish's rows wait in the index's pending list, which every search then scans linearly
-- until a vacuum merges it: under the daily pipeline (a publish every run) a search miss cost 1.5-14 ms of database
-- time instead of 0.3-0.7 ms. Publishes insert a few hundred rows once; searches run thousands of times in between.
ALTER INDEX published_prospects_search SET (fastupdate = off);
-- Rows already pending are merged now rather than at the next vacuum.
SELECT gin_clean_pending_list('published_prospects_search'::regclass);
