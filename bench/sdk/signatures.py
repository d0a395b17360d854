"""The signature check's three steps (see signature-check): dump our names and signatures, dump
the real SDK's signatures of the same names, compare parameter names and kinds."""

import importlib
import inspect
import json
import os
import pkgutil
import sys
import warnings


def public_modules(root):
    """Our modules whose dotted path has no private part: where users import from."""
    import azureml
    names = ["azureml"]
    for info in pkgutil.walk_packages(azureml.__path__, "azureml."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def describe(obj):
    """[(name, kind)] of a callable's parameters; None when it has no signature."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name] for p in sig.parameters.values()]


def members(cls):
    """Public methods a class defines (itself, not inherited from object), and its properties."""
    out, props = {}, []
    for klass in reversed(cls.__mro__[:-1]):
        for name, value in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(value, property):
                props.append(name)
            elif isinstance(value, (staticmethod, classmethod)) or inspect.isfunction(value):
                out[name] = getattr(cls, name)
    return out, sorted(set(props))


def dump_ours(root):
    import azureml
    assert not azureml.REAL_SDK, "the real SDK is on the path; run with only resources/python"
    entries = {}
    for module_name in public_modules(root):
        module = importlib.import_module(module_name)
        for name in dir(module):
            obj = getattr(module, name)
            if name.startswith("_") or not getattr(obj, "__module__", "").startswith("azureml"):
                continue
            # Defined there, or exported there on purpose (not merely imported for its own use).
            if obj.__module__ != module_name and name not in getattr(module, "__all__", ()):
                continue
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            key = "%s.%s" % (module_name, name)
            entries[key] = {"signature": describe(obj)}
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                methods, props = members(obj)
                entries[key]["methods"] = {m: describe(f) for m, f in methods.items()}
                entries[key]["properties"] = props
    json.dump(entries, sys.stdout, indent=1, sort_keys=True)


def resolve(key):
    module_name, _, name = key.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # noqa: BLE001 (any import failure is a finding)
        return None, "module %s does not import: %s" % (module_name, e)
    if not hasattr(module, name):
        return None, "%s has no %s" % (module_name, name)
    return getattr(module, name), None


def dump_real(ours_file):
    warnings.simplefilter("ignore")
    with open(ours_file) as f:
        ours = json.load(f)
    entries = {}
    for key, entry in ours.items():
        obj, problem = resolve(key)
        if obj is None:
            entries[key] = {"missing": problem}
            continue
        real = {"signature": describe(obj)}
        if "methods" in entry:
            real["methods"] = {m: describe(getattr(obj, m)) if hasattr(obj, m) else "missing"
                               for m in entry["methods"]}
            real["properties"] = {p: hasattr(obj, p) for p in entry["properties"]}
        entries[key] = real
    json.dump(entries, sys.stdout, indent=1, sort_keys=True)


def text(sig):
    if sig is None:
        return "(no signature)"
    return "(" + ", ".join(("*" if k == "VAR_POSITIONAL" else "**" if k == "VAR_KEYWORD" else "") + n
                           + ("/kw" if k == "KEYWORD_ONLY" else "") for n, k in sig) + ")"


def compare(ours_file, real_file):
    with open(ours_file) as f:
        ours = json.load(f)
    with open(real_file) as f:
        real = json.load(f)
    passed = failed = extra = 0

    def check(label, mine, theirs):
        nonlocal passed, failed
        # Exceptions and classes built with __new__ may report no signature on one side.
        if mine == theirs or theirs is None:
            passed += 1
            print("OK        %s%s" % (label, text(mine)))
        else:
            failed += 1
            print("DIFFERS   %s\n            ours: %s\n            real: %s" % (label, text(mine), text(theirs)))

    for key in sorted(ours):
        entry, r = ours[key], real.get(key, {"missing": "not dumped"})
        if "missing" in r:
            extra += 1
            print("NOT IN SDK %s (%s)" % (key, r["missing"]))
            continue
        check(key, entry["signature"], r["signature"])
        for m, sig in sorted(entry.get("methods", {}).items()):
            theirs = r["methods"].get(m)
            if theirs == "missing":
                extra += 1
                print("NOT IN SDK %s.%s (a Labbench addition)" % (key, m))
            else:
                check("%s.%s" % (key, m), sig, theirs)
        for p, present in sorted(r.get("properties", {}).items()):
            if not present:
                extra += 1
                print("NOT IN SDK %s.%s (property)" % (key, p))
    print("%d names only Labbench has" % extra)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "dump-ours":
        dump_ours(sys.argv[2])
    elif command == "dump-real":
        dump_real(sys.argv[2])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
