"""One score.py worker of a Labbench endpoint (started by labbench-serve; see
core/serve/server/ScoreWorkerPool.h).

Azure ML's contract, unchanged: the entry script is imported once, init() is called once with
AZUREML_MODEL_DIR set, then run(raw_data) once per request, raw_data being the request body as a
str. Requests arrive on fd 3 and answers leave on fd 4 as length-prefixed frames (4 bytes, big
endian, then the bytes), so whatever the script prints (stdout and stderr are the endpoint's log)
never mixes with an answer.

Answers are one tag byte and a payload: R (init done), F (init failed: one sentence), O (run's
result as JSON text), E (run failed: one sentence; the traceback goes to the log).

    python3 labbench_serve_worker.py ENTRY_SCRIPT
"""
import importlib.util
import json
import os
import struct
import sys
import traceback


def read_exact(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def send(stream, tag, payload):
    body = tag + payload.encode("utf-8", "surrogateescape")
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


def one_sentence(where, error):
    text = str(error).strip().splitlines()
    detail = text[0] if text else ""
    if len(detail) > 300:
        detail = detail[:300] + "..."
    name = type(error).__name__
    return "%s raised %s: %s" % (where, name, detail) if detail else "%s raised %s" % (where, name)


def load(entry):
    folder = os.path.dirname(os.path.abspath(entry))
    sys.path.insert(0, folder)
    name = os.path.splitext(os.path.basename(entry))[0]
    spec = importlib.util.spec_from_file_location(name, entry)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    for needed in ("init", "run"):
        if not callable(getattr(module, needed, None)):
            raise AttributeError("%s defines no %s() function" % (entry, needed))
    return module


def main():
    requests = os.fdopen(3, "rb", buffering=0)
    answers = os.fdopen(4, "wb", buffering=0)
    try:
        module = load(sys.argv[1])
    except BaseException as error:  # noqa: B036 - any failure is the endpoint's reason
        traceback.print_exc()
        send(answers, b"F", one_sentence("Loading " + os.path.basename(sys.argv[1]), error))
        return 1
    try:
        module.init()
    except BaseException as error:  # noqa: B036
        traceback.print_exc()
        send(answers, b"F", one_sentence("init()", error))
        return 1
    sys.stdout.flush()
    send(answers, b"R", "")
    while True:
        head = read_exact(requests, 4)
        if head is None:
            return 0
        (length,) = struct.unpack(">I", head)
        body = read_exact(requests, length)
        if body is None:
            return 0
        try:
            result = module.run(body.decode("utf-8", "surrogateescape"))
            text = json.dumps(result)
        except BaseException as error:  # noqa: B036
            traceback.print_exc()
            sys.stderr.flush()
            send(answers, b"E", one_sentence("run()", error))
            continue
        sys.stdout.flush()
        send(answers, b"O", text)


if __name__ == "__main__":
    sys.exit(main())
