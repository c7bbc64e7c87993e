"""
Build the API reference of C{kamaelia_twisted} with pydoctor, Twisted's
documentation tool, and report what is wrong in its docstrings::

    python -m tools.apidocs                 # into build/apidocs
    python -m tools.apidocs /tmp/apidocs
    python -m tools.apidocs /tmp/apidocs path/to/package

It prints the docstrings pydoctor cannot parse and the references it cannot
resolve, and exits with status 1 if there are any. A reference outside the
package (C{L{None}}, C{L{twisted.internet.defer.Deferred}}) cannot be linked
without the other project's inventory, so it counts as broken only if the
object it names does not exist; a bare name that is neither a builtin nor
imported by the module (C{L{Deferred}} in a module that does not import it)
is broken.
"""

import builtins
import contextlib
import importlib
import io
import os
import re
import sys

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "build", "apidocs")
PACKAGE = os.path.join(ROOT, "kamaelia_twisted")
WARNING = re.compile(r"^(?P<where>\S+:\d+): (?P<what>.*)$")
UNRESOLVED = re.compile(r'^Cannot find link target for "(?P<name>[^"]+)"(?P<rest>.*)$')
EXTERNAL = "(you can link to external docs with --intersphinx)"
# What pydoctor says about code rather than docstrings.
NOT_DOCSTRINGS = ("Cannot parse value assigned to",)


def exists(dotted):
    """
    Whether C{dotted} names an object: a module, or an attribute of one
    (an interface's methods included).

    @param dotted: a dotted name such as C{"twisted.internet.defer.Deferred"}.
    """
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            try:
                found = getattr(found, part)
            except AttributeError:
                try:
                    found = found[part]
                except (KeyError, TypeError):
                    return False
        return True
    return False


def broken(line):
    """
    Whether the line of pydoctor's output C{line} reports a problem in a
    docstring (see the module's docstring).
    """
    match = WARNING.match(line)
    if match is None or match.group("what").startswith(NOT_DOCSTRINGS):
        return False
    link = UNRESOLVED.match(match.group("what"))
    if link is None:
        return True
    name = link.group("name")
    if EXTERNAL in link.group("rest"):
        return not exists(name)
    return not hasattr(builtins, name)


def build(output=OUTPUT, package=PACKAGE):
    """
    Write the API reference of C{package} into the folder C{output}.

    @param output: a folder, made if missing.
    @param package: the folder of a Python package.
    @return: the lines of pydoctor's output that report broken docstrings.
    """
    from pydoctor.driver import main as pydoctor
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        pydoctor(["--quiet", "--project-name=" + os.path.basename(package), "--docformat=epytext",
                  "--project-base-dir=" + os.path.dirname(package), "--html-output=" + output, package])
    return [line for line in report.getvalue().splitlines() if broken(line)]


def main(argv):
    """
    C{python -m tools.apidocs [OUTPUT [PACKAGE]]}: build, print the
    problems, and return the exit status.
    """
    output = os.path.abspath(argv[0]) if argv else OUTPUT
    problems = build(output, *[os.path.abspath(package) for package in argv[1:2]])
    for line in problems:
        print(line)
    print("API reference in {}/index.html; {} docstring problem(s)".format(output, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
