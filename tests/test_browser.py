"""The built book as a reader opens it from disk with no network: every page in headless Chromium.

Pages are opened as file:// URLs with every host name unresolvable, so anything the book would
fetch from the internet (a CDN script, a font, a picture) fails here and fails the test.
"""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

CHROMEDRIVER = shutil.which("chromedriver")
if not CHROMEDRIVER and not os.environ.get("CI"):
    pytest.skip("needs Chromium and ChromeDriver (Debian: apt-get install chromium "
                "chromium-driver); CI installs them", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = Path(os.environ.get("DAE_SCREENSHOT_DIR",
                                  Path(tempfile.gettempdir()) / "dae-book-screenshots"))
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
PAGES = ["book/intro", "book/instructors", "book/references"] + [f"notebooks/{c}" for c in CHAPTERS]
WIDTH = 1280  # a laptop screen: the sidebar and the page's table of contents both show

WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
  MathJax.startup.promise.then(() => done(true), () => done(false));
} else { done(document.querySelectorAll('.math').length === 0); }
"""


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--window-size={WIDTH},900",
                 "--disable-dev-shm-usage",
                 # No network: every host name fails to resolve, as on a laptop offline.
                 "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def _open(browser, built_book, page):
    """Open a page from disk; return the console errors it logged while loading."""
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get((built_book / f"{page}.html").as_uri())
    assert browser.title and "404" not in browser.title, f"{page} did not load"
    assert browser.execute_async_script(WAIT_FOR_MATHJAX), f"MathJax failed on {page}"
    return [entry["message"] for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE"]


@pytest.mark.parametrize("page", PAGES)
def test_page_opens_offline_with_no_console_error(browser, built_book, page):
    errors = _open(browser, built_book, page)
    assert errors == [], f"console errors on {page}:\n" + "\n".join(errors)
    broken = browser.execute_script(
        "return Array.from(document.images)"
        ".filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src);")
    assert broken == [], f"images that did not load on {page}: {broken}"
    assert not browser.find_elements(By.CSS_SELECTOR, ".highlight-ipythontb, .output.traceback")
    if page.startswith("notebooks/"):
        assert browser.execute_script("return document.images.length;") > 0


@pytest.mark.parametrize("page", PAGES)
def test_every_formula_is_typeset(browser, built_book, page):
    _open(browser, built_book, page)
    raw = browser.execute_script(
        "return Array.from(document.querySelectorAll('.math'))"
        ".filter(el => !el.querySelector('mjx-container')).map(el => el.textContent);")
    assert raw == [], f"formulas left as raw TeX on {page}: {raw[:3]}"
    prose = browser.execute_script("""
        const body = document.querySelector('main').cloneNode(true);
        body.querySelectorAll('pre, code, script, style, .cell_output').forEach(e => e.remove());
        return body.textContent;""")
    for delimiter in ("\\(", "\\[", "$$"):
        assert delimiter not in prose, f"untypeset {delimiter} on {page}"


def test_formulas_are_typeset_by_the_local_mathjax(browser, built_book):
    chapter = next(p for p in PAGES if "03_" in p)
    _open(browser, built_book, chapter)
    assert browser.execute_script("return document.querySelectorAll('mjx-container').length;") > 0
    sources = browser.execute_script(
        "return Array.from(document.scripts).map(s => s.src).filter(s => s.includes('mathjax'))")
    assert sources and all(src.startswith("file://") for src in sources), sources


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(browser, built_book, page):
    _open(browser, built_book, page)
    links = {urldefrag(a.get_attribute("href"))[0]
             for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")}
    internal = sorted(link for link in links if urlparse(link).scheme == "file")
    assert internal, f"{page} has no internal links at all"
    for link in internal:
        assert Path(unquote(urlparse(link).path)).is_file(), f"{page} links to missing {link}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_button_opens_this_chapter_in_colab(browser, built_book, chapter):
    _open(browser, built_book, f"notebooks/{chapter}")
    colab = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")
             if "colab.research.google.com" in (a.get_attribute("href") or "")]
    assert colab, f"no Colab launch button on {chapter}"
    assert all(href.endswith(f"/notebooks/{chapter}.ipynb") for href in colab), colab


def test_one_search_box_and_a_sidebar_toggle_that_works(browser, built_book):
    _open(browser, built_book, f"notebooks/{CHAPTERS[0]}")
    searches = [e for e in browser.find_elements(
        By.CSS_SELECTOR, "input[type=search], .search-button-field, button.search-button")
        if e.is_displayed()]
    assert len(searches) == 1, [e.get_attribute("outerHTML")[:80] for e in searches]

    sidebar = browser.find_element(By.CSS_SELECTOR, ".bd-sidebar-primary")
    toggle = next(b for b in browser.find_elements(By.CSS_SELECTOR, "button.primary-toggle")
                  if b.is_displayed())
    def hidden():
        rect = sidebar.rect
        return not sidebar.is_displayed() or rect["x"] + rect["width"] <= 0

    assert not hidden(), f"the chapter list is hidden at {WIDTH} px"
    toggle.click()
    assert _within_seconds(browser, hidden), "the sidebar toggle did not hide the chapter list"
    toggle.click()
    assert _within_seconds(browser, lambda: not hidden()), "the toggle did not bring it back"


def _within_seconds(browser, condition, seconds: float = 3.0) -> bool:
    try:
        WebDriverWait(browser, seconds).until(lambda _: condition())
    except TimeoutException:
        return False
    return True


def test_screenshots_of_the_intro_and_a_chapter(browser, built_book):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in ("book/intro", f"notebooks/{CHAPTERS[0]}"):
        _open(browser, built_book, page)
        path = SCREENSHOTS / f"{page.replace('/', '_')}.png"
        assert browser.save_screenshot(str(path)), f"no screenshot of {page}"
        assert path.stat().st_size > 10_000


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_code_cells_show_whole_lines_at_laptop_width(browser, built_book, chapter):
    """Code lines of up to 88 characters fit the column at 1,280 px: no sideways scrolling."""
    _open(browser, built_book, f"notebooks/{chapter}")
    clipped = browser.execute_script("""
        return Array.from(document.querySelectorAll('div.cell_input pre'))
          .filter(pre => pre.offsetParent !== null && pre.scrollWidth > pre.clientWidth + 1)
          .map(pre => pre.textContent.split('\\n').reduce(
            (a, b) => (b.length > a.length ? b : a), '').slice(0, 60));""")
    assert clipped == [], f"code cells that scroll sideways on {chapter}: {clipped[:3]}"
