"""
The inspector's page as a person uses it: headless Chromium, driven by
Selenium, watches C{twistd -n kamaelia --inspect ... echo} while connections
come and go.

C{KAMAELIA_INSPECT_SCREENSHOT=PATH} saves a screenshot of the page (a path
relative to the project's folder, or absolute): how C{doc/images/inspect.png}
is made.
"""

import os
import socket
import sys

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from twisted.internet import defer, reactor, threads
from twisted.python.procutils import which
from twisted.trial import unittest

from .children import Child, ROOT, childEnvironment
from .test_introspect import LOOPBACK, TWISTD

WAIT = 30  # seconds Selenium waits for the page to show something before failing


class InspectPageTests(unittest.TestCase):
    """
    The live page of an inspected echo server, in Chromium.
    """

    def setUp(self):
        missing = [name for name in ("chromium", "chromedriver") if not which(name)]
        if missing:
            raise unittest.SkipTest("the page test needs Chromium and its driver: {} not on PATH (Debian: "
                                    "apt-get install chromium chromium-driver)".format(" and ".join(missing)))

    @defer.inlineCallbacks
    def test_page(self):
        """
        The page draws the server; a TCP connection to the server makes its
        handlers appear, clicking one shows its boxes, and closing the
        connection makes them go.
        """
        child = Child()
        args = [sys.executable, "-c", TWISTD, "-n", "--pidfile=", "--logfile=-", "kamaelia",
                "--inspect", LOOPBACK, "echo", "--port", LOOPBACK]
        reactor.spawnProcess(child, sys.executable, args, env=childEnvironment(), path=ROOT)
        self.addCleanup(self.stop, child)
        echo = yield child.whenOutput(rb"ComponentFactory starting on (\d+)")
        inspector = yield child.whenOutput(rb"serving the graph of (SimpleServer_\d+) on port (\d+)")
        yield threads.deferToThread(self.browse, "http://127.0.0.1:{}/".format(int(inspector.group(2))),
                                    inspector.group(1).decode(), int(echo.group(1)))

    def browse(self, url, server, echoPort):
        """
        What a person does and sees, in Chromium (blocking: run in a thread).
        """
        driver = _chromium()
        try:
            driver.get(url)
            # The page redraws as events arrive: an element found may be gone when used.
            wait = WebDriverWait(driver, WAIT, ignored_exceptions=[StaleElementReferenceException])
            wait.until(lambda d: _names(d, '[data-name="{}"]'.format(server)))
            self.assertEqual(_names(driver, ""), [server])
            children = '[data-parent="{}"]'.format(server)
            first = socket.create_connection(("127.0.0.1", echoPort))
            try:
                wait.until(lambda d: _names(d, children))
                handlers = _names(driver, children)
                second = socket.create_connection(("127.0.0.1", echoPort))
                second.sendall(b"hello\r\n")
                self.assertEqual(second.recv(100), b"hello\r\n")
                wait.until(lambda d: len(_names(d, children)) > len(handlers))
                added = [name for name in _names(driver, children) if name not in handlers]
                [echoer] = [name for name in _names(driver, children + '[data-type="ProtocolComponent"]')
                            if name in added]
                wait.until(lambda d: d.find_element(By.CSS_SELECTOR, _node('[data-name="{}"]'.format(echoer))).click()
                           or True)
                self.assertEqual(_texts(driver, "#details h2"), [echoer])
                self.assertEqual(_names(driver, ".selected"), [echoer])
                # Its boxes, and the one message it has sent (the echo), once sampled.
                outbox = '#boxes tr[data-box="outbox"] td'
                wait.until(lambda d: _texts(d, outbox) == ["outbox", "out", "0", "1"])
                self.assertEqual(_texts(driver, "#boxes tr[data-box] td:first-child"),
                                 ["inbox", "send", "control", "_transport", "outbox", "parsed", "signal"])
                self._screenshot(driver)
                second.close()
                wait.until(lambda d: not set(added) & set(_names(d, children)))
            finally:
                first.close()
            wait.until(lambda d: _names(d, "") == [server])
        finally:
            driver.quit()

    def _screenshot(self, driver):
        path = os.environ.get("KAMAELIA_INSPECT_SCREENSHOT")
        if path:
            driver.execute_script("document.getElementById('details').scrollTop = 0")
            driver.save_screenshot(os.path.join(ROOT, path))

    def stop(self, child):
        if not child.ended.called:
            child.transport.signalProcess("TERM")
        return child.ended


def _chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = which("chromium")[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,560"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(which("chromedriver")[0]), options=options)


def _node(selector):
    return "svg g.component" + selector


def _names(driver, selector):
    """
    The names of the components drawn that match C{selector}, read at once.
    """
    return driver.execute_script("return [...document.querySelectorAll(arguments[0])].map(n => n.dataset.name)",
                                 _node(selector))


def _texts(driver, selector):
    """
    The text of each element that matches C{selector}, read at once.
    """
    return driver.execute_script("return [...document.querySelectorAll(arguments[0])].map(n => n.textContent)",
                                 selector)
