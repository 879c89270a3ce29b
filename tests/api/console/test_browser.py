"""The console in a real browser: Debian's headless Chromium driven by Selenium against a live server.

Nothing here is skipped: without Chromium and chromedriver (apt-get install chromium chromium-driver,
as .ci/run does) these tests fail. Set REGISTRY_CONSOLE_SCREENSHOTS=DIR to keep a 1366×768
screenshot of each main page (docs/console.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from registry.models import Judgement, Role, User
from registry.settings import Settings
from tests.builders import report_payload
from tests.conftest import TEST_PASSWORD
from tests.live_server import live_server

CHROMIUM = os.environ.get("REGISTRY_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("REGISTRY_CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
SCREENSHOTS = os.environ.get("REGISTRY_CONSOLE_SCREENSHOTS")


def _browser(*, javascript: bool) -> webdriver.Chrome:
    options = Options()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1366,768",
        "--lang=es-MX",
        "--disable-extensions",
        "--no-first-run",
    ):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)  # waits for an element to appear, not a fixed sleep
    return driver


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    driver = _browser(javascript=True)
    yield driver
    driver.quit()


def _shot(driver: webdriver.Chrome, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SCREENSHOTS) / f"{name}.png"))


def _set_date(driver: webdriver.Chrome, element_id: str, iso: str) -> None:
    """Fills a date input whatever the browser's locale (typing would follow the locale's day/month order)."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), iso)


def _sign_in(driver: webdriver.Chrome, base: str, username: str) -> None:
    driver.get(f"{base}/console/")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
    driver.find_element(By.ID, "sign-in").click()
    driver.find_element(By.ID, "sign-out")  # signed in: the menu's sign-out button is there


def _duplicates(client: TestClient, client_as: Callable[..., TestClient]) -> None:
    assert client.post("/api/v1/reports", json=report_payload()).status_code == 201
    sinaloa = client_as(Role.clerk, "SIN")
    assert sinaloa.post("/api/v1/reports", json=report_payload(source="SIN", folio="SIN-2021-777")).status_code == 201


def test_an_investigator_signs_in_searches_reads_judges_a_pair_and_signs_out(
    browser: webdriver.Chrome,
    client: TestClient,
    client_as: Callable[..., TestClient],
    make_user: Callable[..., User],
    sessions: sessionmaker[Session],
    engine: Engine,
    settings: Settings,
) -> None:
    _duplicates(client, client_as)
    investigator = make_user(Role.investigator, None)
    with live_server(create_app(settings, engine=engine)) as base:
        _sign_in(browser, base, investigator.username)
        browser.find_element(By.ID, "name").send_keys("Guadalupe Hernández")
        browser.find_element(By.ID, "search-button").click()
        _shot(browser, "search")
        browser.find_element(By.LINK_TEXT, "JAL-2021-00123").click()
        assert "JAL-2021-00123" in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.find_element(By.ID, "cand-h")  # its candidates: the Sinaloa report
        _shot(browser, "record")
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/console/review"]').click()
        _shot(browser, "queue")
        browser.find_element(By.CSS_SELECTOR, "a.pair-link").click()
        assert browser.find_element(By.CSS_SELECTOR, "svg.waterfall").is_displayed()
        _shot(browser, "pair")
        browser.find_element(By.ID, "reason").send_keys("misma fecha de nacimiento y nombre completo")
        browser.find_element(By.ID, "decide-same").click()
        assert "misma fecha de nacimiento" in browser.find_element(By.ID, "judgements").text
        browser.find_element(By.ID, "sign-out").click()
        assert browser.find_element(By.ID, "sign-in")
        # Signed out: the console's pages send the browser back to the sign-in page.
        browser.get(f"{base}/console/review")
        assert browser.find_element(By.ID, "sign-in")
    with sessions() as session:
        assert [(j.decision.value, j.reason) for j in session.scalars(select(Judgement))] == [
            ("same", "misma fecha de nacimiento y nombre completo")
        ]


def test_a_clerk_fixes_a_mistake_is_warned_of_a_duplicate_and_another_registry_sees_no_restricted_field(
    browser: webdriver.Chrome,
    client: TestClient,
    make_user: Callable[..., User],
    engine: Engine,
    settings: Settings,
) -> None:
    assert client.post("/api/v1/reports", json=report_payload()).status_code == 201
    clerk, foreign = make_user(Role.clerk, "JAL"), make_user(Role.clerk, "SIN")
    with live_server(create_app(settings, engine=engine)) as base:
        _sign_in(browser, base, clerk.username)
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/console/reports/new"]').click()
        fields = {
            "f-folio": "JAL-2021-00999",
            "f-given_names": "María Guadalupe",
            "f-first_surname": "Hernández",
            "f-second_surname": "García",
            "f-last_seen_state": "JAL",
            "f-contact_phone": "3312345678",
        }
        for field, value in fields.items():
            browser.find_element(By.ID, field).send_keys(value)
        _set_date(browser, "f-date_of_birth", "1990-05-17")
        _set_date(browser, "f-last_seen_date", "2099-03-02")
        browser.find_element(By.CSS_SELECTOR, "#f-sex option[value=female]").click()
        browser.find_element(By.ID, "save").click()
        # The mistake (a date in the future) is named beside its field.
        assert browser.find_element(By.ID, "e-last_seen_date").is_displayed()
        _shot(browser, "report-form")
        _set_date(browser, "f-last_seen_date", "2021-03-02")
        browser.find_element(By.ID, "save").click()
        # Before saving: the person is possibly registered already.
        assert "JAL-2021-00123" in browser.find_element(By.ID, "duplicate-alert").text
        browser.find_element(By.ID, "save").click()  # "save anyway"
        assert "JAL-2021-00999" in browser.find_element(By.TAG_NAME, "h1").text
        record_url = browser.current_url.split("?")[0]
        assert "3312345678" in browser.page_source
        browser.find_element(By.ID, "sign-out").click()
        _sign_in(browser, base, foreign.username)
        browser.get(record_url)
        assert "JAL-2021-00999" in browser.find_element(By.TAG_NAME, "h1").text
        assert "3312345678" not in browser.page_source
        assert browser.find_element(By.ID, "restricted-note")


def test_reading_pages_work_without_javascript(
    client: TestClient,
    client_as: Callable[..., TestClient],
    make_user: Callable[..., User],
    engine: Engine,
    settings: Settings,
) -> None:
    _duplicates(client, client_as)
    investigator = make_user(Role.investigator, None)
    driver = _browser(javascript=False)
    try:
        with live_server(create_app(settings, engine=engine)) as base:
            _sign_in(driver, base, investigator.username)
            driver.get(f"{base}/console/search?kind=reports&source=SIN")
            driver.find_element(By.LINK_TEXT, "SIN-2021-777").click()
            driver.find_element(By.CSS_SELECTOR, 'nav a[href="/console/review"]').click()
            driver.find_element(By.CSS_SELECTOR, "a.pair-link").click()
            assert "SIN-2021-777" in driver.find_element(By.CSS_SELECTOR, "table.side-by-side").text
            driver.find_element(By.ID, "reason").send_keys("no es la misma persona: otra madre")
            driver.find_element(By.ID, "decide-not_same").click()
            assert "otra madre" in driver.find_element(By.ID, "judgements").text
    finally:
        driver.quit()
