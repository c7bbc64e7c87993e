"""
L{namedCallable}: the callable a C{"package.module:name"} string names, as
C{twistd -n kamaelia --graph} and L{ProcessPool} workers take them::

    from kamaelia_twisted.core.names import namedCallable

    assert namedCallable("zlib:crc32")(b"spam") == 1138425661
"""

from twisted.python.reflect import ModuleNotFound, ObjectNotFound, namedAny


def namedCallable(spec):
    """
    Import and return the callable called C{spec}: C{"package.module:name"},
    where C{name} may be dotted (C{"module:Class.method"}).

    @raise ValueError: saying what is wrong: the form, a module that is not
        found or fails to import, a missing name, or something not callable.
    """
    module, colon, name = spec.partition(":")
    if not colon or not module or not name:
        raise ValueError("expected PACKAGE.MODULE:CALLABLE, not {!r}".format(spec))
    try:
        found = namedAny("{}.{}".format(module, name))
    except (ModuleNotFound, ObjectNotFound):
        raise ValueError("cannot import module {!r}: no such module".format(module)) from None
    except AttributeError as error:
        raise ValueError("{}: {}".format(spec, error)) from None
    except Exception as error:
        raise ValueError("cannot import module {!r}: {}: {}".format(
            module, type(error).__name__, error)) from error
    return requireCallable(spec, found)


def requireCallable(spec, found):
    """
    Return C{found}, the object C{spec} names, if it is callable.

    @raise ValueError: if it is not.
    """
    if not callable(found):
        raise ValueError("{} is {!r}, not a callable".format(spec, found))
    return found
