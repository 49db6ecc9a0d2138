"""The guarded HTTP path of probes, `inspect` and `discover` against hostile loopback servers.

Redirects into the cloud metadata address, 10.x, ftp:// and loopback hosts outside the site are
refused before any connection (a recording transport sees every connection httpx would make);
a name that resolves differently on its second look-up is connected at the checked address;
a drip-feeding server is cut off at the deadline; `sitewatch probe` of 50 sites with one
dripping finishes within the probe deadline and writes a row for every site.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sw_security import drip, page, redirect, serve, write_config
from sw_testing import sitewatch, worker_port

from crawler.faults import Fault
from crawler.guards import ANY_PRIVATE, NetworkPolicy
from crawler.http import FetchError, FetchPolicy, guarded_get, new_client
from crawler.limits import PROBE_DEADLINE

SITE = "127.0.0.121"
UNDEFINED_LIST = (
    "<html><body><ul class='list'>"
    + "".join(f"<li><a href='/p{n}.html'>公告{n}</a><span>2012-12-0{n}</span></li>" for n in (1, 2))
    + "</ul></body></html>"
)
OTHER = "127.0.0.122"


class RecordingTransport(httpx.AsyncHTTPTransport):
    """The real transport, noting the host of every request it is asked to connect for."""

    def __init__(self) -> None:
        super().__init__(retries=0)
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        return await super().handle_async_request(request)


@pytest.fixture(scope="module")
def port() -> int:
    return worker_port(20410)


@pytest.fixture(scope="module")
def hostile(port: int) -> Iterator[object]:
    routes = {
        SITE: {
            "/metadata": redirect("http://169.254.169.254/latest/meta-data/iam/"),
            "/mapped": redirect("http://[::ffff:169.254.169.254]/latest/"),
            "/ten": redirect("http://10.0.0.5/admin/"),
            "/ftp": redirect(f"ftp://127.0.0.1:{port}/"),
            "/loopback": redirect(f"http://{OTHER}:{port}/secret"),
            "/hop": redirect("/ok"),
            "/ok": lambda _h: page("<html><body>正常</body></html>"),
            "/drip": drip(30),
            "/undefined": lambda _h: (
                200,
                {"Content-Type": "text/html; charset=undefined"},
                UNDEFINED_LIST.encode("utf-8"),
            ),
        },
        OTHER: {"/secret": lambda _h: page("secret")},
    }
    with serve(routes, port) as journal:
        yield journal


def get(url: str, policy: FetchPolicy, **kwargs: object) -> tuple[list[str], object]:
    """guarded_get through a recording transport: (hosts connected, result or FetchError)."""
    transport = RecordingTransport()

    async def run() -> object:
        async with httpx.AsyncClient(transport=transport, trust_env=False) as client:
            try:
                return await guarded_get(client, url, policy=policy, **kwargs)  # type: ignore[arg-type]
            except FetchError as exc:
                return exc

    result = asyncio.run(run())
    return transport.hosts, result


def site_policy() -> FetchPolicy:
    """A site on loopback that may use private addresses inside its own domain only."""
    return FetchPolicy(ANY_PRIVATE, (SITE,))


@pytest.mark.parametrize(
    ("path", "fault"),
    [
        ("/metadata", Fault.PRIVATE_ADDRESS),
        ("/mapped", Fault.PRIVATE_ADDRESS),
        ("/ten", Fault.PRIVATE_ADDRESS),
        ("/ftp", Fault.SCHEME),
        ("/loopback", Fault.PRIVATE_ADDRESS),
    ],
)
def test_redirect_refused_before_connecting(
    hostile: object, port: int, path: str, fault: Fault
) -> None:
    hosts, result = get(f"http://{SITE}:{port}{path}", site_policy())
    assert isinstance(result, FetchError), result
    assert result.fault == fault
    assert hosts == [SITE]  # only the first hop was ever connected
    assert OTHER not in hostile.hosts()  # type: ignore[attr-defined]


def test_redirect_inside_the_site_is_followed(hostile: object, port: int) -> None:
    hosts, result = get(f"http://{SITE}:{port}/hop", site_policy())
    assert not isinstance(result, FetchError), result
    assert result.status == 200 and result.url.endswith("/ok")  # type: ignore[attr-defined]
    assert hosts == [SITE, SITE]


def test_private_address_refused_without_allowance(hostile: object, port: int) -> None:
    hosts, result = get(f"http://{SITE}:{port}/ok", FetchPolicy())
    assert isinstance(result, FetchError) and result.fault == Fault.PRIVATE_ADDRESS
    assert hosts == []


def test_name_is_connected_at_the_checked_address(hostile: object, port: int) -> None:
    """A resolver that answers differently on its second look-up is asked once per hop, and
    the connection goes to the address that passed the check (the name itself does not
    resolve on this machine, so any look-up outside the guard would fail)."""
    answers = iter([[SITE], [SITE], [OTHER], [OTHER]])
    asked: list[str] = []

    async def rebinding(host: str) -> list[str]:
        asked.append(host)
        return next(answers)

    policy = FetchPolicy(NetworkPolicy(networks=(__import__("ipaddress").ip_network(SITE),)),
                         ("rebind.test",))  # fmt: skip
    hosts, result = get(f"http://rebind.test:{port}/hop", policy, resolve=rebinding)
    assert not isinstance(result, FetchError), result
    assert asked == ["rebind.test", "rebind.test"]
    assert hosts == [SITE, SITE]
    # The third look-up answers the other address: that hop is refused, not connected.
    hosts, result = get(f"http://rebind.test:{port}/ok", policy, resolve=rebinding)
    assert isinstance(result, FetchError) and result.fault == Fault.PRIVATE_ADDRESS
    assert hosts == [] and OTHER not in hostile.hosts()  # type: ignore[attr-defined]


def test_drip_feed_is_cut_at_the_deadline(hostile: object, port: int) -> None:
    started = time.monotonic()
    _hosts, result = get(f"http://{SITE}:{port}/drip", site_policy(), deadline=2.0)
    elapsed = time.monotonic() - started
    assert isinstance(result, FetchError) and result.fault == Fault.TIMEOUT
    assert elapsed < 4.0


def test_new_client_ignores_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would connect for us, past the address check."""
    monkeypatch.setenv("HTTP_PROXY", "http://169.254.169.254:3128")
    client = new_client()
    assert client._trust_env is False
    asyncio.run(client.aclose())


@pytest.mark.slow
def test_probe_of_fifty_sites_with_one_dripping(tmp_path: Path) -> None:
    port = worker_port(20420)
    routes = {SITE: {f"/s{n:02d}/": (lambda _h: page("<html>首页</html>")) for n in range(50)}}
    routes[SITE]["/s07/"] = drip(90)
    routes[SITE]["/s13/"] = redirect("http://169.254.169.254/latest/meta-data/")
    sites = [
        {
            "id": f"s{n:02d}",
            "name": f"站点{n}",
            "unit_type": "city",
            "home_url": f"http://{SITE}:{port}/s{n:02d}/",
            "allow_private_addresses": True,
        }
        for n in range(50)
    ]
    config = write_config(tmp_path / "group.yaml", sites)
    db = tmp_path / "probe.db"
    with serve(routes, port):
        started = time.monotonic()
        result = sitewatch("probe", "--config", str(config), "--db", str(db), timeout=120)
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    assert elapsed < PROBE_DEADLINE + 8  # CLI start-up and the DB are the margin
    rows = dict(sqlite3.connect(db).execute("SELECT site_id, error FROM probes").fetchall())
    assert len(rows) == 50
    assert rows.pop("s07") == "timeout"
    assert rows.pop("s13") == "private_address"  # refused, not stored as its availability
    assert set(rows.values()) == {None}


def test_inspect_refuses_a_redirect_into_the_metadata_service(hostile: object, port: int) -> None:
    result = sitewatch("inspect", f"http://{SITE}:{port}/metadata", timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "private_address" in lines[0] and "169.254.169.254" in lines[0]


def test_inspect_reads_a_page_labelled_charset_undefined(hostile: object, port: int) -> None:
    result = sitewatch("inspect", f"http://{SITE}:{port}/undefined", "--json", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    items = json.loads(result.stdout)["items"]
    assert [item["title"] for item in items] == ["公告1", "公告2"]
