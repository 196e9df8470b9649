"""A reference supervisor event listener for hooks-supervisor's tests.

It receives the same PROCESS_STATE events as the listener under test and writes, one JSON line
per event, the body superhooks would POST for it: superhooks builds
    params = {'process_name': group:name, 'from_state': ..., 'event_name': ...,
              'pheaders_all': every payload token as 'key:value ' in payload order}
adds each -d item (split on '^^', then '^'; 'dump_params' as the value gives the event name and
the tokens one per line), and requests encodes the dict with urllib.parse.urlencode.

Usage: python3 superhooks_reference.py OUT_FILE DATA
Only the Python standard library: supervisor's protocol is read by hand.
"""
import json
import sys
import time
from urllib.parse import urlencode


def items(spec):
    out = []
    for item in spec.split("^^") if spec else []:
        kv = item.split("^")
        if len(kv) == 2:
            out.append(kv)
    return out


def main():
    out_path, data = sys.argv[1], sys.argv[2]
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        stdout.write(b"READY\n")
        stdout.flush()
        line = stdin.readline()
        if not line:
            return
        envelope = dict(t.split(":", 1) for t in line.decode().split())
        payload = stdin.read(int(envelope["len"])).decode("utf-8")
        first = payload.split("\n", 1)[0]
        pheaders = dict(t.split(":", 1) for t in first.split())
        if envelope["eventname"].startswith("PROCESS_STATE_"):
            pheaders_all = "".join(k + ":" + v + " " for k, v in pheaders.items())
            params = {
                "process_name": pheaders["groupname"] + ":" + pheaders["processname"],
                "from_state": pheaders["from_state"],
                "event_name": envelope["eventname"],
                "pheaders_all": pheaders_all,
            }
            for k, v in items(data):
                if v == "dump_params":
                    params[k] = envelope["eventname"] + "\n" + pheaders_all.replace(" ", "\n").replace(":", ": ")
                else:
                    params[k] = v
            with open(out_path, "a") as f:
                f.write(json.dumps({"time": time.time(), "group": pheaders["groupname"],
                                    "event": envelope["eventname"], "body": urlencode(params)}) + "\n")
        stdout.write(b"RESULT 2\nOK")
        stdout.flush()


if __name__ == "__main__":
    main()
