"""Compare a crawled database with the simulator's ground truth: the accuracy figures.

Used by the end-to-end tests and by `bench/accuracy.py`. Reads SQLite with plain SQL and
the truth dict; knows nothing of the crawler's code.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.urls import url_key


@dataclass
class Accuracy:
    """Figures of one comparison; the lists hold examples for a person to look at."""

    truth_posts: int = 0
    stored_posts: int = 0
    posts_found: int = 0
    posts_right_date: int = 0
    posts_right_column: int = 0
    posts_right_department: int = 0
    posts_all_right: int = 0
    extra_posts: int = 0
    duplicated_posts: int = 0
    truth_letters: int = 0
    letters_found: int = 0
    letters_right: int = 0
    truth_broken_links: int = 0
    broken_links_found: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def post_accuracy(self) -> float:
        """Share of the truth's posts stored with the right date, column and department."""
        return self.posts_all_right / self.truth_posts if self.truth_posts else 1.0

    @property
    def extra_share(self) -> float:
        """Share of stored posts that are not in the truth."""
        return self.extra_posts / self.stored_posts if self.stored_posts else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Figures for printing as JSON (examples cut short)."""
        data = asdict(self)
        data["examples"] = {k: v[:5] for k, v in self.examples.items()}
        data["post_accuracy"] = round(self.post_accuracy, 5)
        data["extra_share"] = round(self.extra_share, 5)
        return data

    def note(self, kind: str, text: str) -> None:
        """Keep an example of a miss."""
        self.examples.setdefault(kind, []).append(text)


def stored_posts(conn: sqlite3.Connection, site_id: str) -> dict[str, dict[str, Any]]:
    """The site's live posts keyed by url_key, with their column's URL."""
    rows = conn.execute(
        "SELECT p.url_key, p.url, p.published_on, p.department, c.url"
        " FROM posts p LEFT JOIN columns c ON c.id = p.column_id"
        " WHERE p.site_id = ? AND p.gone_at IS NULL",
        (site_id,),
    )
    return {
        key: {"url": url, "date": published, "department": department, "column": column}
        for key, url, published, department, column in rows
    }


def compare(db_path: str | Path, truth: dict[str, Any]) -> Accuracy:
    """Compare everything the database holds with the truth, site by site."""
    conn = sqlite3.connect(str(db_path))
    result = Accuracy()
    for site in truth["sites"]:
        compare_posts(conn, site, result)
        compare_letters(conn, site, result)
        compare_links(conn, site, result)
    conn.close()
    return result


def compare_posts(conn: sqlite3.Connection, site: dict[str, Any], result: Accuracy) -> None:
    """Posts: found, with the right date, column and department; extras and duplicates."""
    stored = stored_posts(conn, site["id"])
    result.stored_posts += len(stored)
    truth_keys: set[str] = set()
    for column in site["columns"]:
        if column["category"] == "consultation":
            continue
        for post in column["posts"]:
            key = url_key(post["url"])
            truth_keys.add(key)
            result.truth_posts += 1
            row = stored.get(key)
            if row is None:
                result.note("missing_post", post["url"])
                continue
            result.posts_found += 1
            date_ok = row["date"] == post["date"]
            column_ok = row["column"] is not None and url_key(row["column"]) == url_key(
                column["url"]
            )
            department_ok = row["department"] == post["department"]
            result.posts_right_date += date_ok
            result.posts_right_column += column_ok
            result.posts_right_department += department_ok
            result.posts_all_right += date_ok and column_ok and department_ok
            if not date_ok:
                result.note("wrong_date", f"{post['url']} {row['date']} != {post['date']}")
            if not column_ok:
                result.note("wrong_column", f"{post['url']} in {row['column']}")
            if not department_ok:
                result.note(
                    "wrong_department", f"{post['url']} {row['department']} != {post['department']}"
                )
    letter_keys = {url_key(c["url"]) for c in site.get("consultations", []) if c.get("url")}
    for key, row in stored.items():
        if key not in truth_keys and key not in letter_keys:
            result.extra_posts += 1
            result.note("extra_post", row["url"])
    counts = Counter(url_key(row["url"]) for row in stored.values())
    result.duplicated_posts += sum(n - 1 for n in counts.values() if n > 1)


def compare_letters(conn: sqlite3.Connection, site: dict[str, Any], result: Accuracy) -> None:
    """Consultations: every letter with the right asked and replied dates."""
    rows = conn.execute(
        "SELECT url_key, asked_on, replied_on FROM consultations WHERE site_id = ?",
        (site["id"],),
    )
    stored = {key: (asked, replied) for key, asked, replied in rows}
    for letter in site.get("consultations", []):
        result.truth_letters += 1
        found = stored.get(url_key(letter["url"])) if letter.get("url") else None
        if found is None:
            result.note("missing_letter", str(letter.get("url") or letter["title"]))
            continue
        result.letters_found += 1
        if found == (letter["asked"], letter["replied"]):
            result.letters_right += 1
        else:
            result.note(
                "wrong_letter",
                f"{letter['url']} {found} != {(letter['asked'], letter['replied'])}",
            )


def compare_links(conn: sqlite3.Connection, site: dict[str, Any], result: Accuracy) -> None:
    """Broken links: every one the truth lists is found broken by some check."""
    broken = {
        url_key(url)
        for (url,) in conn.execute(
            "SELECT url FROM links WHERE ok = 0 AND site_id = ?", (site["id"],)
        )
    }
    for url in site.get("broken_links", []):
        result.truth_broken_links += 1
        if url_key(url) in broken:
            result.broken_links_found += 1
        else:
            result.note("missed_broken_link", url)
