"""Every bound the crawler puts on a hostile or broken site, in one place, each with its reason.

Config fields (`defaults:` / a site's `crawl:`) take their defaults from here; code never
repeats these numbers beside a call.
"""

from __future__ import annotations

from crawler.defaults import PROBE_TIMEOUT_S

#: The national rules' figure: a visit fails when the page has not opened after 15 s. It is a
#: total deadline (connect, headers and the whole body), not a per-read timeout.
PROBE_DEADLINE = PROBE_TIMEOUT_S
#: `inspect` and `discover` wait as long as a probe does.
FETCH_DEADLINE = PROBE_DEADLINE
#: Home pages probed at once; a slow site only holds its own slot until its deadline.
PROBE_CONCURRENCY = 64
#: One page is at most this big for the one-page fetches (Scrapy's DOWNLOAD_MAXSIZE likewise).
MAX_PAGE_BYTES = 10 * 1024 * 1024
#: Redirect hops followed by any fetch (each hop is checked like the first request).
MAX_REDIRECTS = 5

#: A host name gets this long to resolve; a slow resolver must not stall the crawl.
DNS_TIMEOUT = 5.0

#: A 429/503 asking to come back within this many seconds is retried after that wait; a longer
#: Retry-After gives the request up until the next run (recorded as `rate_limited`).
RETRY_AFTER_MAX = 30.0

#: Links of one page queued for checking: a real page has a few hundred; a page with 200,000 is
#: a trap or an attack, and checking them all is a flood of requests on someone's server.
MAX_LINKS_PER_PAGE = 1000
#: Links checked per site per run.
MAX_LINKS_PER_SITE = 5000
#: Posts taken from one list page (government lists show 10–50; some archives 500).
MAX_ITEMS_PER_PAGE = 500
#: Columns walked per site (a real navigation has tens; configured columns count too).
MAX_COLUMNS_PER_SITE = 200
#: Look-ups in flight at once: thirty slow names cost one time-out, not thirty in a row.
DNS_THREADS = 32

#: Sites crawled side by side are this many times the requests the downloader keeps in flight
#: divided by what one site keeps in flight (crawler/waves.py): enough that sites starting or
#: ending never leave the downloader idle, few enough that memory follows the crawl's
#: concurrency rather than the size of the group.
SITES_IN_FLIGHT_FACTOR = 4
