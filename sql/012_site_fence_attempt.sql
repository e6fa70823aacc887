-- The attempt number of the publishSite attempt named in ranking_snapshots.site_fence (activity key + '#' + attempt),
-- so a claim can tell a newer attempt of the same activity from an older one: a stalled attempt that claims the site
-- switch after its retry did must not take the fence back (activities/attempt-fence.ts, claimSiteSwitch).

ALTER TABLE ranking_snapshots
  ADD COLUMN site_fence_attempt integer;
