"""Findings with a life: every failing or warning condition of `check`, tracked across runs.

- `states`: the states (新发现 → … → 已复查关闭, 误报, 豁免) and the moves a person may make;
- `identity`: which subjects (column, letter, link, post) a rule result is about — pure;
- `lifecycle`: what a check does to the findings it judged (re-open, close, expire) — pure;
- `store`: the `findings` and `finding_events` tables (every change is an audit record);
- `review`: the engine's verdicts with false positives and live exemptions discounted — the
  one place that decides what counts, read by `check`, the report and the console;
- `maintenance`: planned-downtime filings (临时报备) and the SQL test "inside a window".

This module imports nothing, so `analysis.queries` may import `maintenance` without a cycle.
"""
