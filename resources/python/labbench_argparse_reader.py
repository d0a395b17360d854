"""Reads the argparse flags a training script declares, without running it.

Usage: python3 labbench_argparse_reader.py SCRIPT.py
Prints one JSON object: {"arguments": [...], "subcommands": [...], "warnings": [...]}.

The script is parsed with the ast module and never imported or executed: only literal
values (and module-level constants assigned literal values) are evaluated.
"""

import ast
import json
import sys


def literal(node, constants):
    """The Python value of a literal expression, a known constant, or None."""
    if node is None:
        return None
    if isinstance(node, ast.Name):
        if node.id in constants:
            return constants[node.id]
        if node.id in ("int", "float", "str", "bool", "True", "False", "None"):
            return {"True": True, "False": False, "None": None}.get(node.id, node.id)
        return None
    if isinstance(node, ast.Attribute):
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = [literal(e, constants) for e in node.elts]
        return values if all(v is not None for v in values) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = literal(node.operand, constants)
        return -v if isinstance(v, (int, float)) else None
    if isinstance(node, ast.BinOp):
        a, b = literal(node.left, constants), literal(node.right, constants)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
                   ast.Div: lambda: a / b if b else None, ast.Pow: lambda: a ** b
                   if abs(b) < 64 else None}
            f = ops.get(type(node.op))
            return f() if f else None
    return None


def type_name(node, constants):
    if node is None:
        return None
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Lambda):
        return "callable"
    return None


def jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


def collect_constants(tree):
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            value = literal(node.value, constants)
            if value is not None:
                constants[node.targets[0].id] = value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            value = literal(node.value, constants)
            if value is not None:
                constants[node.target.id] = value
    return constants


def call_name(call):
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr, f.value
    if isinstance(f, ast.Name):
        return f.id, None
    return None, None


def owner_name(node):
    """'parser' for parser.add_argument, 'self.parser' style chains flattened."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = owner_name(node.value)
        return inner + "." + node.attr if inner else node.attr
    return None


class Reader(ast.NodeVisitor):
    def __init__(self, constants):
        self.constants = constants
        self.parsers = {}       # variable -> subcommand name ("" for a top-level parser)
        self.subparser_sets = set()
        self.groups = {}        # argument group variable -> parser variable's subcommand
        self.arguments = []
        self.subcommands = []
        self.warnings = []

    def visit_Assign(self, node):
        if isinstance(node.value, ast.Call) and node.targets:
            target = owner_name(node.targets[0])
            name, owner = call_name(node.value)
            owner_var = owner_name(owner) if owner is not None else None
            if name == "ArgumentParser" and target:
                self.parsers[target] = ""
            elif name == "add_subparsers" and target:
                self.subparser_sets.add(target)
            elif name == "add_parser" and target and owner_var in self.subparser_sets:
                sub = literal(node.value.args[0], self.constants) if node.value.args else None
                self.parsers[target] = str(sub) if sub is not None else "?"
                if sub is not None and str(sub) not in self.subcommands:
                    self.subcommands.append(str(sub))
            elif name in ("add_argument_group", "add_mutually_exclusive_group") and target:
                self.groups[target] = self.subcommand_of(owner_var)
        self.generic_visit(node)

    def subcommand_of(self, var):
        if var in self.parsers:
            return self.parsers[var]
        if var in self.groups:
            return self.groups[var]
        return ""

    def visit_Call(self, node):
        name, owner = call_name(node)
        if name == "add_parser" and node.args:
            sub = literal(node.args[0], self.constants)
            if sub is not None and str(sub) not in self.subcommands:
                self.subcommands.append(str(sub))
        if name == "add_argument":
            self.add_argument(node, self.subcommand_of(owner_name(owner)))
        self.generic_visit(node)

    def add_argument(self, node, subcommand):
        flags = [literal(a, self.constants) for a in node.args]
        flags = [f for f in flags if isinstance(f, str)]
        if not flags:
            self.warnings.append("line %d: add_argument without literal names" % node.lineno)
            return
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        action = literal(kw.get("action"), self.constants)
        if action is None and "action" in kw:
            action = type_name(kw["action"], self.constants)
        positional = not flags[0].startswith("-")
        long_flags = [f for f in flags if f.startswith("--")]
        flag = long_flags[0] if long_flags else flags[0]
        dest = literal(kw.get("dest"), self.constants)
        if not dest:
            dest = flag.lstrip("-").replace("-", "_")
        default = literal(kw.get("default"), self.constants) if "default" in kw else None
        has_default = "default" in kw and (default is not None or
                                           isinstance(kw["default"], ast.Constant))
        typ = type_name(kw.get("type"), self.constants)
        if action in ("store_true", "store_false"):
            typ = "bool"
            if not has_default:
                default = action == "store_false"
                has_default = True
        elif action == "count":
            typ = "int"
        elif typ is None and has_default and default is not None:
            typ = type(default).__name__
        choices = literal(kw.get("choices"), self.constants)
        self.arguments.append({
            "flag": flag,
            "flags": flags,
            "dest": dest,
            "positional": positional,
            "type": typ or "str",
            "action": action or "store",
            "default": jsonable(default) if has_default else None,
            "has_default": bool(has_default),
            "required": bool(literal(kw.get("required"), self.constants)) or
            (positional and literal(kw.get("nargs"), self.constants) not in ("?", "*")),
            "choices": [jsonable(c) for c in choices] if isinstance(choices, (list, tuple))
            else None,
            "nargs": jsonable(literal(kw.get("nargs"), self.constants)),
            "help": literal(kw.get("help"), self.constants) if "help" in kw else "",
            "subcommand": subcommand,
            "line": node.lineno,
        })


def main(argv):
    if len(argv) != 2:
        print("usage: labbench_argparse_reader.py SCRIPT.py", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            source = f.read()
        tree = ast.parse(source, filename=argv[1])
    except SyntaxError as e:
        print(json.dumps({"error": "%s:%s: %s" % (argv[1], e.lineno, e.msg)}))
        return 1
    except OSError as e:
        print(json.dumps({"error": "cannot read %s: %s" % (argv[1], e.strerror)}))
        return 1
    reader = Reader(collect_constants(tree))
    reader.visit(tree)
    for a in reader.arguments:
        if not isinstance(a["help"], str):
            a["help"] = ""
    print(json.dumps({"arguments": reader.arguments, "subcommands": reader.subcommands,
                      "warnings": reader.warnings}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
