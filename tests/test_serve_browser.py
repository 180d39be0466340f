"""The desk page in a real browser: Debian's headless Chromium driven by selenium through
chromedriver, against ``fidelity serve`` on a loopback port. Paste a draft and its source,
press Check, see a finding, accept it, and the re-check no longer fails on it.

Skipped when chromium, chromedriver or selenium is absent (Debian:
``apt-get install -y chromium chromium-driver``)."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fidelity.pipeline import RunConfig
from fidelity.serve.app import ServeOptions, create_app

webdriver = pytest.importorskip("selenium.webdriver")
uvicorn = pytest.importorskip("uvicorn")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.enable_socket,  # loopback only: the server and chromedriver on 127.0.0.1
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="chromium and chromedriver are not installed "
        "(Debian: apt-get install -y chromium chromium-driver)",
    ),
]

SOURCE = (
    "The central bank raised its key rate by 25 basis points to 4.5% on Thursday, the bank said.\n"
    "Officials said further increases could follow if inflation stays high.\n"
)
DRAFT = (
    "The central bank raised its key rate by 75 basis points to 4.5% on Thursday, the bank said.\n"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    baseline = tmp_path / ".fidelity-baseline.json"
    options = ServeOptions(
        config=RunConfig(embedder="none", use_cache=False, jobs=1), baseline=baseline
    )
    config = uvicorn.Config(create_app(options), host="127.0.0.1", port=0, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = running.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/", baseline
    finally:
        running.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    # the driver's path is given: selenium never looks for (or downloads) one
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(DRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for(condition: object, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if condition():  # type: ignore[operator]
            return
        assert time.monotonic() < deadline, "timed out waiting in the browser"
        time.sleep(0.1)


def test_paste_check_accept_recheck(server: tuple[str, Path], browser: object) -> None:
    from selenium.webdriver.common.by import By

    url, baseline = server
    driver = browser
    driver.get(url)  # type: ignore[attr-defined]
    find = driver.find_element  # type: ignore[attr-defined]
    find(By.ID, "draft").send_keys(DRAFT)
    find(By.CSS_SELECTOR, ".source-text").send_keys(SOURCE)
    find(By.ID, "check").click()
    status = find(By.ID, "status")
    _wait_for(lambda: status.text.startswith("Verdict"))
    assert "inconsistent" in status.text, status.text

    frame = find(By.ID, "report")
    driver.switch_to.frame(frame)  # type: ignore[attr-defined]
    _wait_for(
        lambda: driver.find_elements(  # type: ignore[attr-defined]
            By.CSS_SELECTOR, "article.finding[data-category=number_changed] button.accept"
        )
    )
    finding = find(By.CSS_SELECTOR, "article.finding[data-category=number_changed]")
    assert "75 basis points" in finding.text
    finding.find_element(By.CSS_SELECTOR, "input.accept-reason").send_keys("Confirmed by the desk")
    finding.find_element(By.CSS_SELECTOR, "button.accept").click()
    control = finding.find_element(By.CSS_SELECTOR, "p.fidelity-accept")
    _wait_for(lambda: control.text.startswith("Accepted"))
    driver.switch_to.default_content()  # type: ignore[attr-defined]
    entries = json.loads(baseline.read_text("utf-8"))["accepted"]
    assert [e["category"] for e in entries] == ["number_changed"]

    find(By.ID, "check").click()
    _wait_for(lambda: "consistent" in status.text and "accepted" in status.text)
    assert status.text.startswith("Verdict: consistent"), status.text
    driver.switch_to.frame(find(By.ID, "report"))  # type: ignore[attr-defined]
    _wait_for(
        lambda: "Confirmed by the desk" in driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    )
