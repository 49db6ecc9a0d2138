"""The one home of default monitoring limits: used only where a profile or config sets none.

The standard profiles (`config/standards/*.yaml`, shipped as `analysis/standards/profiles`)
state every limit they rely on; these defaults fill a metric parameter a rule leaves out and the
monthly figures when a profile has no rule for a limit; the crawler's probe deadline is
`PROBE_TIMEOUT_S` too (`crawler/limits.py`, which holds the crawler's bounds on hostile sites).
No other module writes these numbers down. Source: the national check (全国政府网站普查 2015 /
2019 检查指标), see national.yaml.
"""

from __future__ import annotations

# Home-page availability: a visit that has not opened after this long failed.
PROBE_TIMEOUT_S = 15.0
PROBE_WINDOW_DAYS = 7  # availability is judged over the last week of probes

# Column staleness, in calendar days (dynamics 2 weeks, notices/policies 6 months, basic
# information 1 year).
STALE_DAYS_NEWS = 14
STALE_DAYS_NOTICE_POLICY = 183
STALE_DAYS_BASIC_INFO = 365

# Consultations (政务咨询).
REPLY_LIMIT_WORKDAYS = 5  # a reply is due within this many working days
OVERDUE_DAYS = 91  # 3 months: a letter unanswered longer than this is overdue
LETTERS_LOOKBACK_DAYS = 365  # letters are judged from this far back

# Dates and volumes.
SUSPICIOUS_OVER_DAYS = 3  # date sources further apart than this are suspicious
PERIOD_DAYS = 30  # "posts in the period": the last 30 days

# Content checks (错敏信息, docs/content-checks.md)
CONTENT_LOOKBACK_DAYS = 365  # findings on pages dated within this many days count
CONTENT_REQUIRE_CONFIRMATION = True  # serious findings count only once a person confirmed them
INTERPRETATION_WINDOW_DAYS = 7  # a policy's 解读 is due within this many days (unconfirmed)

# HTTPS and IPv6 (docs/transport-checks.md)
TRANSPORT_EVERY_H = 24.0  # hours between two HTTPS/IPv6 checks of a site (run by the probe)
TRANSPORT_LOOKBACK_DAYS = 7  # the latest check within this many days is judged
CERT_WARN_DAYS = 30  # a certificate expiring within this many days is an early warning
IPV6_INNER_LINKS = 20  # inner pages (columns, posts) tried over IPv6 per check
IPV6_INNER_RATE = 0.9  # share of inner pages that must answer over IPv6 (unconfirmed)
SAME_PAGE_SIMILARITY = 0.9  # IPv6 home page text this alike to the IPv4 one is "the same"
