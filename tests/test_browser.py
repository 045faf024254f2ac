"""The built book as a reader meets it: every page opened in headless Chromium."""

import functools
import http.server
import os
import shutil
import tempfile
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

CHROMEDRIVER = shutil.which("chromedriver")
if not CHROMEDRIVER and not os.environ.get("CI"):
    pytest.skip("needs Chromium and ChromeDriver (Debian: apt-get install chromium "
                "chromium-driver); CI installs them", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = Path(os.environ.get("DAE_SCREENSHOT_DIR",
                                  Path(tempfile.gettempdir()) / "dae-book-screenshots"))
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
PAGES = ["book/intro", "book/instructors", "book/references"] + [f"notebooks/{c}" for c in CHAPTERS]


@pytest.fixture(scope="module")
def site(built_book):
    """Serve the built book on a free localhost port for the duration of the module."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None
    server.handle_error = lambda request, address: None  # the browser hanging up early is fine
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1300,1000",
                 "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(browser, site, page):
    browser.get(urljoin(site, f"{page}.html"))
    assert browser.title and "404" not in browser.title, f"{page} did not load"


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_all_images_and_no_errors(browser, site, page):
    _open(browser, site, page)
    broken = browser.execute_script(
        "return Array.from(document.images)"
        ".filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src);")
    assert broken == [], f"images that did not load on {page}: {broken}"
    errors = browser.find_elements(By.CSS_SELECTOR, ".highlight-ipythontb, .output.traceback")
    assert not errors, f"{page} shows an error output"
    if page.startswith("notebooks/"):
        assert browser.execute_script("return document.images.length;") > 0


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(browser, site, page):
    _open(browser, site, page)
    links = {urldefrag(a.get_attribute("href"))[0]
             for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")}
    internal = sorted(link for link in links if urlparse(link).netloc == urlparse(site).netloc)
    assert internal, f"{page} has no internal links at all"
    for link in internal:
        with urllib.request.urlopen(link) as response:
            assert response.status == 200, link


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_button_opens_this_chapter_in_colab(browser, site, chapter):
    _open(browser, site, f"notebooks/{chapter}")
    colab = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")
             if "colab.research.google.com" in (a.get_attribute("href") or "")]
    assert colab, f"no Colab launch button on {chapter}"
    assert all(href.endswith(f"/notebooks/{chapter}.ipynb") for href in colab), colab


def test_screenshots_of_the_intro_and_a_chapter(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in ("book/intro", f"notebooks/{CHAPTERS[0]}"):
        _open(browser, site, page)
        path = SCREENSHOTS / f"{page.replace('/', '_')}.png"
        assert browser.save_screenshot(str(path)), f"no screenshot of {page}"
        assert path.stat().st_size > 10_000
