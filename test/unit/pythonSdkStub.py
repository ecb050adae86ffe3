"""Runs generated msgraph-sdk snippets against stand-ins built from the SDK model fixture.

stdin: {"fixture": <test/fixtures/sdk-models/python-v1.0.json>, "snippets": [{"id": ..., "code": ...}]}
stdout: [{"id": ..., "error": str | None, "calls": [{"chain": [...], "method": ..., "body": <JSON> | None}]}]

Each model class accepts exactly the keyword arguments its dataclass has (the properties and additional_data), each
with a value of the declared type, as the real generated dataclasses do at run time (an unknown keyword is a
TypeError there too). Enums have exactly the SDK's members. Imports must name the SDK's real modules. The request
body a snippet posts is turned back into JSON by the fixture's names, so the caller can compare it with the request.
"""
import ast
import asyncio
import enum
import json
import sys
import types

PRIMITIVES = {"str": str, "bool": bool, "int": int, "float": (int, float), "bytes": bytes}


def install(fixture):
    classes = {}
    modules = {}

    def module(name):
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            dotted = ".".join(parts[:i])
            if dotted not in modules:
                m = types.ModuleType(dotted)
                m.__path__ = []
                modules[dotted] = m
                sys.modules[dotted] = m
                if i > 1:
                    setattr(modules[".".join(parts[: i - 1])], parts[i - 1], m)
        return modules[name]

    def check(value, type_name, where):
        if value is None:
            return
        if type_name.endswith("[]"):
            if not isinstance(value, list):
                raise TypeError(f"{where}: expected a list of {type_name[:-2]}, got {type(value).__name__}")
            for i, v in enumerate(value):
                check(v, type_name[:-2], f"{where}[{i}]")
            return
        expected = classes.get(type_name) or PRIMITIVES.get(type_name)
        if expected is None:
            return  # dates, UUIDs: not written by the generators
        if expected is int and isinstance(value, bool):
            raise TypeError(f"{where}: expected int, got bool")
        if not isinstance(value, expected):
            raise TypeError(f"{where}: expected {type_name}, got {type(value).__name__}")

    def make_model(name, spec, base=None):
        fields = {p["name"]: (json_name, p["type"]) for json_name, p in spec["properties"].items()}

        def __init__(self, **kwargs):
            for k, v in kwargs.items():
                if k == "additional_data" and spec.get("additionalData"):
                    if not isinstance(v, dict):
                        raise TypeError(f"{name}.additional_data must be a dict")
                elif k not in fields:
                    raise TypeError(f"{name}.__init__() got an unexpected keyword argument '{k}'")
                else:
                    check(v, fields[k][1], f"{name}.{k}")
            self._set = dict(kwargs)

        return type(name, (base,) if base else (), {"__init__": __init__, "_fields": fields})

    bodies = list(fixture["requestBodies"].values())
    # A subclass derives from its base class's stand-in, so isinstance(MediaPrompt(...), Prompt) holds.
    specs = {n: t for n, t in fixture["types"].items()}
    for n, t in specs.items():
        if t["kind"] == "enum":
            cls = enum.Enum(n, {member: value for value, member in t["members"].items()}, type=str)
            classes[n] = cls
            setattr(module(t["module"]), n, cls)

    def build(n):
        if n in classes:
            return classes[n]
        t = specs[n]
        cls = make_model(n, t, build(t["base"]) if t.get("base") in specs else None)
        classes[n] = cls
        setattr(module(t["module"]), n, cls)
        return cls

    for n, t in specs.items():
        if t["kind"] == "model":
            build(n)
    for b in bodies:
        cls = make_model(b["name"], b)
        setattr(module(b["module"]), b["name"], cls)

    module("msgraph").GraphServiceClient = object
    module("msgraph_beta").GraphServiceClient = object

    class Headers:
        def __init__(self):
            self.items = []

        def add(self, k, v):
            self.items.append((k, v))

    class RequestConfiguration:
        def __init__(self):
            self.headers = Headers()

    module("kiota_abstractions.base_request_configuration").RequestConfiguration = RequestConfiguration
    return classes


def to_json(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if hasattr(value, "_set"):
        out = {}
        for k, v in value._set.items():
            if k == "additional_data":
                continue
            out[value._fields[k][0]] = to_json(v)
        for k, v in value._set.get("additional_data", {}).items():
            out[k] = to_json(v)
        return out
    return value


class Builder:
    """graph_client: only the SDK's request builders, indexers (by_*_id) and methods exist; a call is recorded."""

    def __init__(self, fixture, calls, cls=None, chain=()):
        self._fixture = fixture
        self._calls = calls
        self._cls = cls
        self._chain = chain

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._cls is None:
            spec = {"navigation": self._fixture["root"]["graph_client"], "indexers": {}, "methods": {}}
        else:
            spec = self._fixture["requestBuilders"][self._cls]
        where = self._cls or "graph_client"
        if name in spec["methods"]:
            method = spec["methods"][name]

            async def send(body=None, request_configuration=None):
                if (body is None) != (method["body"] is None):
                    raise TypeError(f"{where}.{name}: body {'expected' if method['body'] else 'not taken'}")
                if body is not None and type(body).__name__ != method["body"]:
                    raise TypeError(f"{where}.{name}: body must be a {method['body']}, got {type(body).__name__}")
                self._calls.append({"chain": list(self._chain), "method": name, "returns": method["returns"], "body": to_json(body) if body is not None else None})

            return send
        if name in spec["indexers"]:
            return lambda key: Builder(self._fixture, self._calls, spec["indexers"][name], self._chain + (f"{name}({key})",))
        if name in spec["navigation"]:
            return Builder(self._fixture, self._calls, spec["navigation"][name], self._chain + (name,))
        raise AttributeError(f"'{where}' object has no attribute '{name}'")


def run(snippet):
    calls = []
    env = {"graph_client": Builder(FIXTURE, calls), "access_token": "t", "__name__": "snippet"}
    try:
        ast.parse(snippet["code"])
    except SyntaxError as e:
        return {"id": snippet["id"], "syntaxError": f"{e}", "error": None, "calls": calls}
    try:
        if "import httpx" in snippet["code"]:
            return {"id": snippet["id"], "error": None, "calls": []}
        code = compile(snippet["code"], snippet["id"], "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, env)
        if asyncio.iscoroutine(result):
            asyncio.run(result)
        return {"id": snippet["id"], "error": None, "calls": calls}
    except Exception as e:  # the message goes to the test's assertion
        return {"id": snippet["id"], "error": f"{type(e).__name__}: {e}", "calls": calls}


FIXTURE = None


def main():
    global FIXTURE
    data = json.load(sys.stdin)
    FIXTURE = data["fixture"]
    install(FIXTURE)
    json.dump([run(s) for s in data["snippets"]], sys.stdout)


main()
