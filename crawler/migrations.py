"""Numbered schema migrations: the SQLite layout is a user-facing interface (see docs/schema.md).

Each migration is applied once, in order, inside a transaction together with its record in
``_sqlite_migrations``; re-running is a no-op and an older database upgrades in place.
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("sitewatch")


@MIGRATIONS(name="m001_initial")
def m001_initial(db: Database) -> None:
    """Create the core tables: sites, columns, posts, consultations, fetches, links, probes."""
    db.executescript(
        """
        CREATE TABLE sites (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            unit_type TEXT NOT NULL,
            parent TEXT,
            home_url TEXT NOT NULL,
            allowed_domains TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
        CREATE TABLE columns (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            category TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'config',
            on_home_page INTEGER NOT NULL DEFAULT 0,
            first_crawled_at TEXT,
            last_crawled_at TEXT,
            UNIQUE (site_id, key)
        );
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            column_id INTEGER REFERENCES columns(id),
            url TEXT NOT NULL,
            url_key TEXT NOT NULL,
            title TEXT NOT NULL,
            published_on TEXT,
            date_source TEXT,
            list_date TEXT,
            meta_date TEXT,
            text_date TEXT,
            url_date TEXT,
            department TEXT,
            baseline INTEGER NOT NULL DEFAULT 0,
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            gone_at TEXT,
            detail_fetched_at TEXT,
            first_run_id INTEGER,
            UNIQUE (site_id, url_key)
        );
        CREATE TABLE consultations (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES sites(id),
            column_id INTEGER REFERENCES columns(id),
            url TEXT,
            url_key TEXT NOT NULL,
            title TEXT NOT NULL,
            asked_on TEXT,
            replied_on TEXT,
            status TEXT,
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            gone_at TEXT,
            detail_fetched_at TEXT,
            UNIQUE (site_id, url_key)
        );
        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'crawl',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            clock TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            full INTEGER NOT NULL DEFAULT 0,
            sites TEXT NOT NULL DEFAULT '[]',
            pages INTEGER NOT NULL DEFAULT 0,
            new_posts INTEGER NOT NULL DEFAULT 0,
            known_posts INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            sites_down INTEGER NOT NULL DEFAULT 0,
            note TEXT
        );
        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            site_id TEXT,
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            status INTEGER,
            error TEXT,
            elapsed_ms INTEGER,
            bytes INTEGER,
            fetched_at TEXT NOT NULL
        );
        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            site_id TEXT,
            url TEXT NOT NULL,
            found_on TEXT NOT NULL,
            on_home_page INTEGER NOT NULL DEFAULT 0,
            ok INTEGER,
            status INTEGER,
            error TEXT,
            checked_at TEXT NOT NULL
        );
        CREATE TABLE probes (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL,
            url TEXT NOT NULL,
            probed_at TEXT NOT NULL,
            ok INTEGER NOT NULL,
            status INTEGER,
            elapsed_ms INTEGER,
            error TEXT
        );
        """
    )


@MIGRATIONS(name="m002_indexes_and_http_cache")
def m002_indexes_and_http_cache(db: Database) -> None:
    """Indexes for the monthly queries, and validators for conditional re-crawls."""
    db.executescript(
        """
        CREATE INDEX idx_posts_site_published ON posts (site_id, published_on);
        CREATE INDEX idx_posts_column_published ON posts (column_id, published_on);
        CREATE INDEX idx_consultations_site_asked ON consultations (site_id, asked_on);
        CREATE INDEX idx_fetches_run ON fetches (run_id);
        CREATE INDEX idx_links_run ON links (run_id, site_id);
        CREATE INDEX idx_probes_site_time ON probes (site_id, probed_at);
        CREATE TABLE http_cache (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            updated_at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="m003_alerts")
def m003_alerts(db: Database) -> None:
    """Alert conditions (open until cleared, for de-duplication) and every alert message sent."""
    db.executescript(
        """
        CREATE TABLE alert_conditions (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            site_id TEXT,
            level TEXT NOT NULL,
            title TEXT NOT NULL,
            detail TEXT,
            opened_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            cleared_at TEXT
        );
        CREATE UNIQUE INDEX idx_alert_conditions_open
            ON alert_conditions (key) WHERE cleared_at IS NULL;
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            condition_id INTEGER REFERENCES alert_conditions(id),
            key TEXT NOT NULL,
            site_id TEXT,
            level TEXT NOT NULL,
            kind TEXT NOT NULL,
            opened_at TEXT,
            cleared_at TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            channel TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            subject TEXT NOT NULL,
            message TEXT NOT NULL,
            error TEXT
        );
        CREATE INDEX idx_alerts_status ON alerts (status, created_at);
        """
    )


@MIGRATIONS(name="m004_robots_cache")
def m004_robots_cache(db: Database) -> None:
    """robots.txt bodies per host, so a re-crawl within a day does not fetch them again."""
    db.executescript(
        """
        CREATE TABLE robots_cache (
            netloc TEXT PRIMARY KEY,
            status INTEGER,
            body BLOB NOT NULL,
            fetched_at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="m009_findings_and_filings")
def m009_findings_and_filings(db: Database) -> None:
    """Findings with a life (state, audit trail), maintenance filings, console users."""
    db.executescript(
        """
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL DEFAULT 'check',
            site_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            subject_label TEXT NOT NULL DEFAULT '',
            subject_url TEXT,
            title TEXT NOT NULL,
            level TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL,
            note TEXT,
            exempt_until TEXT,
            reopened INTEGER NOT NULL DEFAULT 0,
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            last_checked_on TEXT NOT NULL,
            state_changed_at TEXT NOT NULL,
            UNIQUE (source, site_id, rule_id, subject)
        );
        CREATE INDEX idx_findings_state ON findings (state, site_id);
        CREATE TABLE finding_events (
            id INTEGER PRIMARY KEY,
            finding_id INTEGER NOT NULL REFERENCES findings(id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            note TEXT
        );
        CREATE INDEX idx_finding_events_finding ON finding_events (finding_id, at);
        CREATE TABLE maintenance_filings (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT,
            recurrence TEXT NOT NULL DEFAULT 'once',
            weekday INTEGER,
            day_start TEXT,
            day_end TEXT,
            reason TEXT NOT NULL,
            approved_by TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            withdrawn_at TEXT,
            withdrawn_by TEXT
        );
        CREATE INDEX idx_maintenance_filings_site ON maintenance_filings (site_id);
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            disabled_at TEXT,
            last_login_at TEXT
        );
        CREATE TABLE console_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="m010_cluster")
def m010_cluster(db: Database) -> None:
    """Probes from several vantage points, and the jobs the one writer merged from agents.

    A round probed from several vantage points is stored twice: each visit in `probe_visits`,
    and the round's verdict in `probes` (failed only when the quorum of vantages failed), with
    the vantages that saw it fail in `probes.failed_from`. Single-vantage probes are unchanged.
    """
    db.executescript(
        """
        ALTER TABLE probes ADD COLUMN failed_from TEXT;
        CREATE TABLE probe_visits (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL,
            url TEXT NOT NULL,
            probed_at TEXT NOT NULL,
            vantage TEXT NOT NULL,
            agent TEXT,
            ok INTEGER NOT NULL,
            status INTEGER,
            elapsed_ms INTEGER,
            error TEXT
        );
        CREATE INDEX idx_probe_visits_site_time ON probe_visits (site_id, probed_at);
        CREATE TABLE cluster_jobs (
            job_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            run_id INTEGER REFERENCES crawl_runs(id),
            site_id TEXT,
            vantage TEXT,
            agent TEXT,
            merged_at TEXT NOT NULL,
            rows INTEGER NOT NULL DEFAULT 0
        );
        """
    )


@MIGRATIONS(name="m008_content_checks")
def m008_content_checks(db: Database) -> None:
    """Content-check findings (错敏信息) with their human review (待确认 / 已确认 / 误报)."""
    db.executescript(
        """
        CREATE TABLE content_findings (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL,
            page_url TEXT NOT NULL,
            page_key TEXT NOT NULL,
            page_title TEXT,
            page_date TEXT,
            attachment_url TEXT NOT NULL DEFAULT '',
            check_kind TEXT NOT NULL,
            term TEXT NOT NULL,
            suggestion TEXT NOT NULL DEFAULT '',
            severity TEXT NOT NULL,
            snippet TEXT NOT NULL DEFAULT '',
            first_found_at TEXT NOT NULL,
            last_found_at TEXT NOT NULL,
            run_id INTEGER,
            review TEXT NOT NULL DEFAULT 'pending',
            reviewed_by TEXT,
            reviewed_at TEXT,
            review_note TEXT,
            UNIQUE (site_id, page_key, attachment_url, check_kind, term)
        );
        CREATE INDEX idx_content_findings_site ON content_findings (site_id, review);
        """
    )


@MIGRATIONS(name="m006_column_extraction_state")
def m006_column_extraction_state(db: Database) -> None:
    """Per column: whether extraction works (ok / broken 抽取异常 / needs_render 需渲染)."""
    db.executescript(
        """
        ALTER TABLE columns ADD COLUMN extraction_state TEXT NOT NULL DEFAULT 'ok';
        ALTER TABLE columns ADD COLUMN extraction_shape TEXT;
        ALTER TABLE columns ADD COLUMN extraction_detail TEXT;
        ALTER TABLE columns ADD COLUMN extraction_since TEXT;
        ALTER TABLE columns ADD COLUMN extraction_reviewed_at TEXT;
        """
    )


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; return the names applied (empty when up to date)."""
    pending = [m.name for m in MIGRATIONS.pending(db)]
    MIGRATIONS.apply(db)
    return pending


@MIGRATIONS(name="m005_security_links")
def m005_security_links(db: Database) -> None:
    """Crawl notes (caps hit, Retry-After given up, storage failure) and the reason a link is
    unverifiable (无法验证: DNS failure, no route, a skipped host)."""
    db.executescript(
        """
        CREATE TABLE crawl_notes (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            site_id TEXT,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            url TEXT,
            noted_at TEXT NOT NULL
        );
        CREATE INDEX idx_crawl_notes_run ON crawl_notes (run_id);
        ALTER TABLE links ADD COLUMN detail TEXT;
        """
    )


@MIGRATIONS(name="m011_transport_checks")
def m011_transport_checks(db: Database) -> None:
    """HTTPS and IPv6 checks run by the probe (docs/transport-checks.md): one row per check of a
    site, and the inner pages tried over IPv6."""
    db.executescript(
        """
        CREATE TABLE transport_checks (
            id INTEGER PRIMARY KEY,
            site_id TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            home_url TEXT NOT NULL,
            https_url TEXT NOT NULL,
            https_state TEXT NOT NULL,
            https_detail TEXT NOT NULL DEFAULT '',
            cert_not_after TEXT,
            http_url TEXT NOT NULL,
            http_state TEXT NOT NULL,
            http_detail TEXT NOT NULL DEFAULT '',
            ipv6_state TEXT NOT NULL,
            ipv6_address TEXT,
            ipv6_detail TEXT NOT NULL DEFAULT '',
            inner_ok INTEGER NOT NULL DEFAULT 0,
            inner_failed INTEGER NOT NULL DEFAULT 0,
            inner_unverifiable INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_transport_checks_site ON transport_checks (site_id, checked_at);
        CREATE TABLE transport_links (
            id INTEGER PRIMARY KEY,
            check_id INTEGER NOT NULL REFERENCES transport_checks(id),
            url TEXT NOT NULL,
            state TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_transport_links_check ON transport_links (check_id);
        """
    )
