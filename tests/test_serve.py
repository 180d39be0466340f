"""``fidelity serve``'s JSON API through Starlette's TestClient (no network): check, compare,
accept, health, the page and OpenAPI; 401 without the token, 413 over the limits, 422 naming
the field, 503 when the queue is full."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fidelity.cli import app as cli
from fidelity.pipeline import RunConfig
from fidelity.serve.app import ServeOptions, create_app

SOURCE = (
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases could follow if inflation stays high.\n"
)
DRAFT = (
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)
EDITED = "Markets were calm in early trading on Thursday morning.\n\n" + DRAFT
CONFIG = RunConfig(embedder="none", use_cache=False, jobs=1)


def _check(draft: str = DRAFT, **extra: object) -> dict[str, object]:
    return {"draft": {"text": draft, "outlet": "Tabloid"}, "sources": [{"text": SOURCE}], **extra}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("desk") / ".fidelity-baseline.json"


@pytest.fixture(scope="module")
def client(baseline: Path) -> Iterator[TestClient]:
    options = ServeOptions(
        config=CONFIG, baseline=baseline, max_request_bytes=20_000, max_articles=3, queue=2
    )
    with TestClient(create_app(options)) as test_client:
        yield test_client


def test_health_after_start_up(client: TestClient) -> None:
    body = client.get("/v1/health").json()
    assert body["status"] == "ok"
    assert body["models"]["embedder"] == "none"
    assert body["models"]["detector"].startswith("lingua")


def test_check_accept_recheck(client: TestClient, baseline: Path) -> None:
    first = client.post("/v1/check", json=_check(html=True))
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["verdict"] == "inconsistent"
    finding = next(f for f in body["findings"] if f["category"] == "number_changed")
    assert finding["fingerprint"].startswith("fp-")
    page = client.get(body["html_url"])
    assert page.status_code == 200 and f'data-fingerprint="{finding["fingerprint"]}"' in page.text

    accepted = client.post(
        "/v1/accept",
        json={"report_id": body["report_id"], "finding": finding["id"], "reason": "desk ok"},
    )
    assert accepted.status_code == 200, accepted.text
    stored = json.loads(baseline.read_text("utf-8"))["accepted"]
    assert [e["fingerprint"] for e in stored] == [finding["fingerprint"]]

    again = client.post("/v1/check", json=_check(EDITED)).json()  # an unrelated edit too
    assert again["verdict"] == "consistent"
    assert [a["reason"] for a in again["accepted"]] == ["desk ok"]
    ignoring = client.post("/v1/check", json=_check(EDITED, use_baseline=False)).json()
    assert ignoring["verdict"] == "inconsistent"


def test_accept_unknown_report_or_finding_is_404(client: TestClient) -> None:
    missing = client.post("/v1/accept", json={"report_id": "x", "finding": "y", "reason": "z"})
    assert missing.status_code == 404
    report = client.post("/v1/check", json=_check()).json()["report_id"]
    unknown = client.post("/v1/accept", json={"report_id": report, "finding": "y", "reason": "z"})
    assert unknown.status_code == 404 and "no finding" in unknown.json()["detail"]


def test_compare(client: TestClient) -> None:
    articles = [{"text": SOURCE, "outlet": "Wire"}, {"text": DRAFT, "outlet": "Tabloid"}]
    response = client.post("/v1/compare", json={"articles": articles, "reference": 0})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {s["outlet"] for s in body["scores"]} == {"Tabloid"}
    assert "number_changed" in {f["category"] for f in body["findings"]}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"draft": {"text": DRAFT}}, "sources"),
        ({"draft": {}, "sources": [{"text": SOURCE}]}, "draft.text"),
        ({"draft": {"text": DRAFT}, "sources": []}, "sources"),
        ({"draft": {"text": DRAFT}, "sources": [{"text": 3}]}, "sources[0].text"),
        ({"draft": {"text": DRAFT}, "sources": [{"text": SOURCE}], "colour": 1}, "colour"),
        (_check(gate={"min_severity": "urgent"}), "gate.min_severity"),
    ],
)
def test_malformed_request_422_names_the_field(
    client: TestClient, payload: dict[str, object], field: str
) -> None:
    response = client.post("/v1/check", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith(field + ":")
    assert "Traceback" not in response.text


def test_not_json_and_empty_text_are_422(client: TestClient) -> None:
    broken = client.post(
        "/v1/check", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422 and "Traceback" not in broken.text
    blank = client.post("/v1/check", json=_check("   "))
    assert blank.status_code == 422 and "no text" in blank.json()["detail"]


def test_limits_413(client: TestClient) -> None:
    big = client.post("/v1/check", json=_check("word " * 5_000))
    assert big.status_code == 413 and "limit is 20000 bytes" in big.json()["detail"]
    many = client.post(
        "/v1/check", json={"draft": {"text": DRAFT}, "sources": [{"text": SOURCE}] * 4}
    )
    assert many.status_code == 413 and "limit of 3" in many.json()["detail"]


def test_chunked_body_over_the_limit_is_413_without_length(client: TestClient) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"draft": {"text": "'
        for _ in range(50):
            yield b"x" * 1_000
        yield b'"}, "sources": [{"text": "y"}]}'

    response = client.post(
        "/v1/check", content=pieces(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "limit is 20000 bytes" in response.json()["detail"]


def test_two_workers_each_warm(tmp_path: Path) -> None:
    options = ServeOptions(config=CONFIG, baseline=tmp_path / "b.json", workers=2, queue=0)
    with TestClient(create_app(options)) as pair:
        health = pair.get("/v1/health").json()
        assert health["status"] == "ok" and health["workers"] == 2 and health["limit"] == 2
        desk = pair.app.state.desk  # type: ignore[attr-defined]
        assert desk.executor._max_workers == 2
        assert len(desk.executor._threads) == 2  # both started (and warmed) at start-up
        assert pair.post("/v1/check", json=_check()).json()["verdict"] == "inconsistent"


def test_full_queue_503_then_served_again(client: TestClient) -> None:
    desk = client.app.state.desk  # type: ignore[attr-defined]
    release = threading.Event()
    portal = client.portal
    assert portal is not None
    holders = [portal.start_task_soon(desk.run, release.wait) for _ in range(desk.limit)]
    try:
        refused = client.post("/v1/check", json=_check())
        assert refused.status_code == 503 and "busy" in refused.json()["detail"]
    finally:
        release.set()
        for holder in holders:
            holder.result(timeout=60)
    assert client.post("/v1/check", json=_check()).status_code == 200


def test_page_docs_and_openapi(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="draft"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.split("<body>")[1].replace("http-equiv", "")
    assert "fetch(" in client.get("/page.js").text
    spec = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/compare", "/v1/health", "/v1/accept"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "POST /v1/check" in docs and "<script" not in docs


def test_token_required(baseline: Path) -> None:
    options = ServeOptions(config=CONFIG, baseline=baseline, token="s3cret")
    with TestClient(create_app(options)) as guarded:
        assert guarded.get("/v1/health").status_code == 200
        assert guarded.post("/v1/check", json=_check()).status_code == 401
        assert guarded.get("/").status_code == 401
        assert (
            guarded.post(
                "/v1/check", json=_check(), headers={"Authorization": "Bearer wrong"}
            ).status_code
            == 401
        )
        good = guarded.post("/v1/check", json=_check(), headers={"Authorization": "Bearer s3cret"})
        assert good.status_code == 200
        assert guarded.get("/?token=s3cret").status_code == 200


def test_cli_refuses_other_address_without_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIDELITY_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "needs a token" in result.output
