#!/usr/bin/env python3
"""Writes signature-vectors.json beside this file.

Official vectors are copied from the provider's documentation or library tests, with their
source. Every other vector is derived from the provider's documented algorithm: each MAC,
digest and Ed25519 signature is computed by the `openssl` command line tool (never by the
code under test), and the vector is labelled "derived": true.

Run: python3 derive-vectors.py   (needs openssl 3 on PATH)
"""
import base64
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TS = 1763899200  # 2025-11-23T12:00:00Z
URL = "https://hooks.example.com/hooks/endpoint"


def iso(epoch_seconds):
    import datetime
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def openssl(args, data):
    return subprocess.run(["openssl"] + args, input=data, capture_output=True, check=True).stdout


def hmac(alg, key, data):
    return openssl(["dgst", "-" + alg, "-mac", "HMAC", "-macopt", "hexkey:" + key.hex(), "-binary"], data)


def sha256(data):
    return openssl(["dgst", "-sha256", "-binary"], data)


def hexs(b):
    return b.hex()


def b64(b):
    return base64.b64encode(b).decode()


# Ed25519 keys from fixed seeds, so the file is reproducible.
ED_SEEDS = {"A": bytes(range(1, 33)), "B": bytes(range(101, 133))}


def ed_pem(seed):
    der = bytes.fromhex("302e020100300506032b657004220420") + seed
    return b"-----BEGIN PRIVATE KEY-----\n" + base64.encodebytes(der) + b"-----END PRIVATE KEY-----\n"


def ed_public(seed):
    with tempfile.NamedTemporaryFile(suffix=".pem") as f:
        f.write(ed_pem(seed))
        f.flush()
        der = openssl(["pkey", "-in", f.name, "-pubout", "-outform", "DER"], b"")
    return der[-32:], der


def ed_sign(seed, message):
    with tempfile.NamedTemporaryFile(suffix=".pem") as k, tempfile.NamedTemporaryFile() as m:
        k.write(ed_pem(seed))
        k.flush()
        m.write(message)
        m.flush()
        return openssl(["pkeyutl", "-sign", "-inkey", k.name, "-rawin", "-in", m.name], b"")


VECTORS = []


def add(name, scheme, secrets, headers, body, expect, now=TS + 30, options=None, source=None, derived=True,
        url=URL, remote=None, content_type=None):
    v = {
        "name": name,
        "scheme": scheme,
        "derived": derived,
        "source": source or "derived with openssl from the provider's documented algorithm",
        "secrets": secrets,
        "options": options or {},
        "method": "POST",
        "url": url,
        "headers": ([["Content-Type", content_type]] if content_type else []) + headers,
        "body": body,
        "now": iso(now),
        "expect": expect,
    }
    if remote:
        v["remoteAddress"] = remote
    VECTORS.append(v)


def tamper(body):
    """The body with one byte changed (the middle one, +1)."""
    i = len(body) // 2
    return body[:i] + chr(ord(body[i]) + 1) + body[i + 1:]


def expired(secret):
    return {"value": secret, "notAfter": iso(TS - 3600)}


def standard_cases(scheme, sign, sig_header, malformed_value, body, secret_a, secret_b, options=None,
                   tolerance=None, multi=None, doc=None, content_type="application/json", extra_missing=()):
    """The cases every scheme gets.

    sign(key_id, body, ts) -> list of [header, value]; key_id is "A" or "B".
    multi(body, ts) -> headers holding signatures by B and A together.
    """
    o = options or {}
    ct = content_type
    ok = sign("A", body, TS)
    add(scheme + ": valid", scheme, [secret_a], ok, body, "ok", options=o, content_type=ct, source=doc)
    add(scheme + ": wrong secret", scheme, [secret_a], sign("B", body, TS), body, "MISMATCH", options=o, content_type=ct, source=doc)
    add(scheme + ": one byte of the body changed", scheme, [secret_a], ok, tamper(body), "MISMATCH", options=o, content_type=ct, source=doc)
    add(scheme + ": signature header missing", scheme, [secret_a], [h for h in ok if h[0].lower() != sig_header.lower()],
        body, "MISSING", options=o, content_type=ct, source=doc)
    for other in extra_missing:
        add(scheme + ": " + other + " missing", scheme, [secret_a], [h for h in ok if h[0].lower() != other.lower()],
            body, "MISSING", options=o, content_type=ct, source=doc)
    add(scheme + ": malformed signature header", scheme, [secret_a],
        [[h[0], malformed_value] if h[0].lower() == sig_header.lower() else h for h in ok], body, "MALFORMED",
        options=o, content_type=ct, source=doc)
    add(scheme + ": rotation, second secret matches", scheme, [secret_b, secret_a], ok, body, "ok", options=o, content_type=ct, source=doc)
    add(scheme + ": rotation, matching secret expired", scheme, [expired(secret_a), secret_b], ok, body, "MISMATCH",
        options=o, content_type=ct, source=doc)
    if multi:
        add(scheme + ": several signatures in one header, one matches", scheme, [secret_a], multi(body, TS), body, "ok",
            options=o, content_type=ct, source=doc)
    else:
        repeated = [h for h in sign("B", body, TS) if h[0].lower() == sig_header.lower()] + ok
        add(scheme + ": header sent twice, one value matches", scheme, [secret_a], repeated, body, "ok",
            options=o, content_type=ct, source=doc)
    if tolerance:
        add(scheme + ": stale timestamp", scheme, [secret_a], ok, body, "STALE", now=TS + tolerance + 60,
            options=o, content_type=ct, source=doc)
        add(scheme + ": future timestamp", scheme, [secret_a], ok, body, "STALE", now=TS - tolerance - 60,
            options=o, content_type=ct, source=doc)
        add(scheme + ": stale timestamp with a wrong signature is a mismatch (signature first)", scheme, [secret_a],
            sign("B", body, TS), body, "MISMATCH", now=TS + tolerance + 60, options=o, content_type=ct, source=doc)
        add(scheme + ": timestamp just inside the window", scheme, [secret_a], ok, body, "ok", now=TS + tolerance - 1,
            options=o, content_type=ct, source=doc)


BODY = '{"action":"opened","number":7,"repository":{"full_name":"octo/hello"},"zen":"Keep it logically awesome."}'
KEYS = {"A": "s3cr3t-A-0123456789", "B": "s3cr3t-B-9876543210"}


def k(key_id):
    return KEYS[key_id].encode()


# ---------------------------------------------------------------- official vectors

GITHUB_DOC = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries (Testing the webhook payload validation)"
add("github: documented example", "github", ["It's a Secret to Everybody"],
    [["X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"]],
    "Hello, World!", "ok", source=GITHUB_DOC, derived=False)
add("github: documented example, hex in upper case", "github", ["It's a Secret to Everybody"],
    [["X-Hub-Signature-256", "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"]],
    "Hello, World!", "ok", source=GITHUB_DOC, derived=False)
add("github: documented example, body changed by one byte", "github", ["It's a Secret to Everybody"],
    [["X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"]],
    "Hello, World?", "MISMATCH", source=GITHUB_DOC, derived=False)

SW_SRC = ("standard-webhooks/standard-webhooks libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java "
          "(verifyWebhookSignWorks); the same vector is in the Svix libraries")
for scheme, prefix in (("standard-webhooks", "webhook-"), ("svix", "svix-")):
    hdrs = [[prefix + "id", "msg_p5jXN8AQM9LWM0D4loKWxJek"], [prefix + "timestamp", "1614265330"],
            [prefix + "signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]]
    add(scheme + ": specification library vector", scheme, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], hdrs,
        '{"test": 2432232314}', "ok", now=1614265330, source=SW_SRC, derived=False)
    add(scheme + ": specification library vector, secret without whsec_ prefix", scheme,
        ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], hdrs, '{"test": 2432232314}', "ok", now=1614265330, source=SW_SRC, derived=False)
    add(scheme + ": specification library vector among unknown versions", scheme, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        hdrs[:2] + [[prefix + "signature", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]],
        '{"test": 2432232314}', "ok", now=1614265330, source=SW_SRC, derived=False)
    add(scheme + ": specification library vector, only an unknown version", scheme, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        hdrs[:2] + [[prefix + "signature", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]],
        '{"test": 2432232314}', "MALFORMED", now=1614265330, source=SW_SRC, derived=False)
    add(scheme + ": specification library vector, 5 minutes 1 second later", scheme, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        hdrs, '{"test": 2432232314}', "STALE", now=1614265330 + 301, source=SW_SRC, derived=False)

SLACK_DOC = "https://api.slack.com/authentication/verifying-requests-from-slack (worked example)"
SLACK_BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
              "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
              "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
              "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
SLACK_HDRS = [["X-Slack-Request-Timestamp", "1531420618"],
              ["X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"]]
add("slack: documented example", "slack", ["8f742231b10e8888abcd99yyyzzz85a5"], SLACK_HDRS, SLACK_BODY, "ok",
    now=1531420618 + 10, source=SLACK_DOC, derived=False, content_type="application/x-www-form-urlencoded")
add("slack: documented example replayed an hour later", "slack", ["8f742231b10e8888abcd99yyyzzz85a5"], SLACK_HDRS,
    SLACK_BODY, "STALE", now=1531420618 + 3600, source=SLACK_DOC, derived=False, content_type="application/x-www-form-urlencoded")

TWILIO_SRC = "twilio/twilio-java src/test/java/com/twilio/security/RequestValidatorTest.java"
TW_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TW_FORM = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212"
TW_JSON = '{"property": "value", "boolean": true}'
TW_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
FORM = "application/x-www-form-urlencoded"
add("twilio: library test, form parameters", "twilio", ["12345"], [["X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="]],
    TW_FORM, "ok", url=TW_URL, source=TWILIO_SRC, derived=False, content_type=FORM)
add("twilio: library test, signature of a different request", "twilio", ["12345"],
    [["X-Twilio-Signature", "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8="]], TW_FORM, "MALFORMED", url=TW_URL, source=TWILIO_SRC,
    derived=False, content_type=FORM)
add("twilio: library test, parameter changed", "twilio", ["12345"], [["X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="]],
    TW_FORM.replace("Digits=1234", "Digits=1235"), "MISMATCH", url=TW_URL, source=TWILIO_SRC, derived=False, content_type=FORM)
add("twilio: library test, JSON body with bodySHA256", "twilio", ["12345"], [["X-Twilio-Signature", "a9nBmqA0ju/hNViExpshrM61xv4="]],
    TW_JSON, "ok", url=TW_URL + "&bodySHA256=" + TW_HASH, source=TWILIO_SRC, derived=False, content_type="application/json")
add("twilio: library test, JSON body changed", "twilio", ["12345"], [["X-Twilio-Signature", "a9nBmqA0ju/hNViExpshrM61xv4="]],
    TW_JSON.replace("true", "false"), "MISMATCH", url=TW_URL + "&bodySHA256=" + TW_HASH, source=TWILIO_SRC, derived=False,
    content_type="application/json")
add("twilio: library test, bodySHA256 as the only parameter", "twilio", ["12345"],
    [["X-Twilio-Signature", "y77kIzt2vzLz71DgmJGsen2scGs="]], TW_JSON, "ok",
    url="https://mycompany.com/myapp.php?bodySHA256=" + TW_HASH, source=TWILIO_SRC, derived=False, content_type="application/json")
add("twilio: library test, signed with port 443, received without", "twilio", ["12345"],
    [["X-Twilio-Signature", "kvajT1Ptam85bY51eRf/AJRuM3w="]], TW_FORM, "ok", url=TW_URL, source=TWILIO_SRC, derived=False,
    content_type=FORM)
add("twilio: library test, signed without port, received with port 1234", "twilio", ["12345"],
    [["X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="]], TW_FORM, "ok", url=TW_URL.replace(".com", ".com:1234"),
    source=TWILIO_SRC, derived=False, content_type=FORM)
add("twilio: library test, http with port 80 signed, received without", "twilio", ["12345"],
    [["X-Twilio-Signature", "0ZXoZLH/DfblKGATFgpif+LLRf4="]], TW_FORM, "ok", url=TW_URL.replace("https", "http"),
    source=TWILIO_SRC, derived=False, content_type=FORM)

# ---------------------------------------------------------------- derived: body HMAC schemes


def body_hmac(scheme, header, prefix, alg="sha256", enc="hex", options=None, doc=None, secrets=("A", "B")):
    def sig(key_id, body):
        mac = hmac(alg, k(key_id), body.encode())
        return prefix + (hexs(mac) if enc == "hex" else b64(mac))

    standard_cases(scheme, lambda key_id, body, ts: [[header, sig(key_id, body)]], header,
                   prefix + ("zz-not-hex" if enc == "hex" else "!!not base64!!"), BODY, KEYS["A"], KEYS["B"],
                   options=options, doc=doc)


body_hmac("github", "X-Hub-Signature-256", "sha256=", doc="GitHub: HMAC-SHA256 of the body, 'sha256=' + hex")
body_hmac("github-sha1", "X-Hub-Signature", "sha1=", alg="sha1", doc="GitHub legacy: HMAC-SHA1, 'sha1=' + hex")
body_hmac("bitbucket", "X-Hub-Signature", "sha256=", doc="Bitbucket Cloud/Data Center: X-Hub-Signature sha256=<hex>")
body_hmac("gitea", "X-Gitea-Signature", "", doc="Gitea: bare hex HMAC-SHA256 in X-Gitea-Signature")
body_hmac("forgejo", "X-Forgejo-Signature", "", doc="Forgejo: bare hex HMAC-SHA256 in X-Forgejo-Signature")
body_hmac("gogs", "X-Gogs-Signature", "", doc="Gogs: bare hex HMAC-SHA256 in X-Gogs-Signature")
add("gitea: X-Hub-Signature-256 when no Gitea header", "gitea", [KEYS["A"]],
    [["X-Hub-Signature-256", "sha256=" + hexs(hmac("sha256", k("A"), BODY.encode()))]], BODY, "ok")
body_hmac("shopify", "X-Shopify-Hmac-Sha256", "", enc="base64", doc="Shopify: base64 HMAC-SHA256 of the body")
body_hmac("sentry", "Sentry-Hook-Signature", "", doc="Sentry integration platform: hex HMAC-SHA256 of the body")
body_hmac("grafana", "X-Grafana-Alerting-Signature", "", doc="Grafana alerting HMAC: bare hex HMAC-SHA256 of the body")
body_hmac("convoy", "X-Convoy-Signature", "", doc="Convoy simple signature: hex HMAC-SHA256 of the body")
body_hmac("convoy", "X-Convoy-Signature", "", alg="sha512", enc="base64", options={"algorithm": "sha512", "encoding": "base64"},
          doc="Convoy simple signature configured for SHA-512 and base64")
body_hmac("generic-hmac", "X-Signature", "sha512=", alg="sha512", enc="base64",
          options={"header": "X-Signature", "algorithm": "sha512", "encoding": "base64", "prefix": "sha512="})
body_hmac("generic-hmac", "X-Webhook-Signature", "", alg="sha1",
          options={"header": "X-Webhook-Signature", "algorithm": "sha1"})


def versioned(scheme, header, doc):
    def sign(key_id, body, ts):
        return [[header, "v1=" + hexs(hmac("sha256", k(key_id), body.encode()))]]

    def multi(body, ts):
        return [[header, "v1=" + hexs(hmac("sha256", k("B"), body.encode())) + ",v2=abcdef,v1="
                 + hexs(hmac("sha256", k("A"), body.encode()))]]

    standard_cases(scheme, sign, header, "v1=xyz,v2=", BODY, KEYS["A"], KEYS["B"], multi=multi, doc=doc)


versioned("pagerduty", "X-PagerDuty-Signature", "PagerDuty v3 webhooks: comma-separated v1=<hex> HMAC-SHA256 of the body")
versioned("circleci", "circleci-signature", "CircleCI webhooks: v1=<hex> HMAC-SHA256 of the body")

# ---------------------------------------------------------------- derived: timestamped HMAC

STRIPE_SECRET = {"A": "whsec_test_A_7b9c0d1e2f3a4b5c", "B": "whsec_test_B_0a1b2c3d4e5f6a7b"}


def stripe_sig(key_id, body, ts):
    return hexs(hmac("sha256", STRIPE_SECRET[key_id].encode(), (str(ts) + "." + body).encode()))


standard_cases("stripe", lambda key_id, body, ts: [["Stripe-Signature", "t=%d,v1=%s" % (ts, stripe_sig(key_id, body, ts))]],
               "Stripe-Signature", "t=%d,v1=nothex" % TS, BODY, STRIPE_SECRET["A"], STRIPE_SECRET["B"], tolerance=300,
               multi=lambda body, ts: [["Stripe-Signature", "t=%d,v1=%s,v1=%s" % (ts, stripe_sig("B", body, ts), stripe_sig("A", body, ts))]],
               doc="Stripe: HMAC-SHA256 of '<t>.<body>' keyed with the whsec_ secret as written, header t=...,v1=...")
add("stripe: a v0 (test mode) signature beside v1 is ignored", "stripe", [STRIPE_SECRET["A"]],
    [["Stripe-Signature", "t=%d,v1=%s,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39" % (TS, stripe_sig("A", BODY, TS))]], BODY, "ok")
add("stripe: only a v0 signature", "stripe", [STRIPE_SECRET["A"]],
    [["Stripe-Signature", "t=%d,v0=%s" % (TS, stripe_sig("A", BODY, TS))]], BODY, "MALFORMED")
add("stripe: signature without t=", "stripe", [STRIPE_SECRET["A"]], [["Stripe-Signature", "v1=" + stripe_sig("A", BODY, TS)]], BODY, "MALFORMED")


def slack_sign(key_id, body, ts):
    return [["X-Slack-Request-Timestamp", str(ts)],
            ["X-Slack-Signature", "v0=" + hexs(hmac("sha256", k(key_id), ("v0:%d:%s" % (ts, body)).encode()))]]


standard_cases("slack", slack_sign, "X-Slack-Signature", "v0=zz", BODY, KEYS["A"], KEYS["B"], tolerance=300,
               extra_missing=("X-Slack-Request-Timestamp",),
               doc="Slack: HMAC-SHA256 of 'v0:<timestamp>:<body>', header v0=<hex>")


def grafana_ts_sign(key_id, body, ts):
    return [["X-Grafana-Alerting-Signature-Timestamp", str(ts)],
            ["X-Grafana-Alerting-Signature", hexs(hmac("sha256", k(key_id), ("%d:%s" % (ts, body)).encode()))]]


standard_cases("grafana", grafana_ts_sign, "X-Grafana-Alerting-Signature", "not-hex", BODY, KEYS["A"], KEYS["B"],
               tolerance=300, options={"timestamp-header": "X-Grafana-Alerting-Signature-Timestamp"},
               extra_missing=("X-Grafana-Alerting-Signature-Timestamp",),
               doc="Grafana alerting HMAC with a timestamp header: hex HMAC-SHA256 of '<timestamp>:<body>'")


def convoy_adv(key_id, body, ts):
    return "t=%d,v1=%s" % (ts, hexs(hmac("sha256", k(key_id), ("%d,%s" % (ts, body)).encode())))


standard_cases("convoy-advanced", lambda key_id, body, ts: [["X-Convoy-Signature", convoy_adv(key_id, body, ts)]],
               "X-Convoy-Signature", "t=%d,v1=nothex" % TS, BODY, KEYS["A"], KEYS["B"], tolerance=300,
               multi=lambda body, ts: [["X-Convoy-Signature", convoy_adv("B", body, ts) + ",v1=" + convoy_adv("A", body, ts).split("v1=")[1]]],
               doc="Convoy advanced signatures: t=<timestamp>,v1=<hex HMAC-SHA256 of '<timestamp>,<body>'>")

LINEAR_BODY = '{"action":"create","type":"Issue","data":{"id":"abc","title":"Crash"},"webhookTimestamp":%d000}' % TS
standard_cases("linear", lambda key_id, body, ts: [["Linear-Signature", hexs(hmac("sha256", k(key_id), body.encode()))]],
               "Linear-Signature", "zz", LINEAR_BODY, KEYS["A"], KEYS["B"], tolerance=60,
               doc="Linear: hex HMAC-SHA256 of the body; the body's webhookTimestamp (ms) within one minute")


def sw_sign(prefix, key_secret, key_id, body, ts, msg_id="msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"):
    key = base64.b64decode(key_secret[key_id].split("_", 1)[1])
    sig = b64(hmac("sha256", key, ("%s.%d.%s" % (msg_id, ts, body)).encode()))
    return [[prefix + "id", msg_id], [prefix + "timestamp", str(ts)], [prefix + "signature", "v1," + sig]]


SW_SECRET = {"A": "whsec_" + b64(bytes(range(24))), "B": "whsec_" + b64(bytes(range(50, 74)))}
for scheme, prefix in (("standard-webhooks", "webhook-"), ("svix", "svix-")):
    def multi(body, ts, prefix=prefix):
        a = sw_sign(prefix, SW_SECRET, "A", body, ts)
        b = sw_sign(prefix, SW_SECRET, "B", body, ts)
        return a[:2] + [[prefix + "signature", b[2][1] + " v1a,AAAA " + a[2][1]]]
    standard_cases(scheme, lambda key_id, body, ts, prefix=prefix: sw_sign(prefix, SW_SECRET, key_id, body, ts),
                   prefix + "signature", "v1,not*base64", BODY, SW_SECRET["A"], SW_SECRET["B"], tolerance=300, multi=multi,
                   extra_missing=(prefix + "id", prefix + "timestamp"),
                   doc="Standard Webhooks v1: base64 HMAC-SHA256 of '<id>.<timestamp>.<body>' keyed with base64-decoded whsec_")
add("svix: unbranded webhook- headers accepted", "svix", [SW_SECRET["A"]], sw_sign("webhook-", SW_SECRET, "A", BODY, TS), BODY, "ok")

# Standard Webhooks v1a: Ed25519
ED_PUB = {kid: ed_public(seed) for kid, seed in ED_SEEDS.items()}


def v1a_sign(key_id, body, ts, msg_id="msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"):
    sig = ed_sign(ED_SEEDS[key_id], ("%s.%d.%s" % (msg_id, ts, body)).encode())
    return [["webhook-id", msg_id], ["webhook-timestamp", str(ts)], ["webhook-signature", "v1a," + b64(sig)]]


WHPK = {kid: "whpk_" + b64(raw) for kid, (raw, der) in ED_PUB.items()}
standard_cases("standard-webhooks", v1a_sign, "webhook-signature", "v1a,@@@@", BODY, WHPK["A"], WHPK["B"], tolerance=300,
               multi=lambda body, ts: v1a_sign("A", body, ts)[:2] + [["webhook-signature", v1a_sign("B", body, ts)[2][1] + " " + v1a_sign("A", body, ts)[2][1]]],
               doc="Standard Webhooks v1a: base64 Ed25519 signature of '<id>.<timestamp>.<body>', public key whpk_<base64>")
add("standard-webhooks: v1a with an SPKI public key", "standard-webhooks", ["whpk_" + b64(ED_PUB["A"][1])],
    v1a_sign("A", BODY, TS), BODY, "ok")
add("standard-webhooks: v1 and v1a keys side by side, v1a signature", "standard-webhooks", [SW_SECRET["A"], WHPK["A"]],
    v1a_sign("A", BODY, TS), BODY, "ok")

# Discord: Ed25519 over timestamp + body, public key hex


def discord_sign(key_id, body, ts):
    return [["X-Signature-Timestamp", str(ts)], ["X-Signature-Ed25519", hexs(ed_sign(ED_SEEDS[key_id], (str(ts) + body).encode()))]]


DISCORD_BODY = '{"type":1,"id":"1234","application_id":"5678","token":"tok","version":1}'
standard_cases("discord", discord_sign, "X-Signature-Ed25519", "00zz", DISCORD_BODY, hexs(ED_PUB["A"][0]), hexs(ED_PUB["B"][0]),
               tolerance=300, options={"tolerance": "300"}, extra_missing=("X-Signature-Timestamp",),
               doc="Discord interactions: hex Ed25519 signature of '<X-Signature-Timestamp><body>' with the application's public key")
add("discord: no window configured, old timestamp accepted", "discord", [hexs(ED_PUB["A"][0])], discord_sign("A", DISCORD_BODY, TS),
    DISCORD_BODY, "ok", now=TS + 86400)

# Mailgun: the signature is in the body and covers timestamp + token only.


def mailgun_body(key_id, ts, token="7d9f9a8c0b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e"):
    sig = hexs(hmac("sha256", k(key_id), (str(ts) + token).encode()))
    return json.dumps({"signature": {"timestamp": str(ts), "token": token, "signature": sig},
                       "event-data": {"event": "delivered", "recipient": "alice@example.com"}}, separators=(",", ":"))


MG = "Mailgun: hex HMAC-SHA256 of '<timestamp><token>' from the body's signature object"
add("mailgun: valid", "mailgun", [KEYS["A"]], [], mailgun_body("A", TS), "ok", source=MG, content_type="application/json")
add("mailgun: wrong key", "mailgun", [KEYS["A"]], [], mailgun_body("B", TS), "MISMATCH", source=MG, content_type="application/json")
add("mailgun: token changed by one byte", "mailgun", [KEYS["A"]], [], mailgun_body("A", TS).replace('"token":"7d', '"token":"8d'),
    "MISMATCH", source=MG, content_type="application/json")
add("mailgun: signature object missing", "mailgun", [KEYS["A"]], [], '{"event-data":{"event":"delivered"}}', "MISSING",
    source=MG, content_type="application/json")
add("mailgun: signature not hex", "mailgun", [KEYS["A"]], [], mailgun_body("A", TS).replace('"signature":"', '"signature":"zz'),
    "MALFORMED", source=MG, content_type="application/json")
add("mailgun: rotation", "mailgun", [KEYS["B"], KEYS["A"]], [], mailgun_body("A", TS), "ok", source=MG, content_type="application/json")
add("mailgun: stale", "mailgun", [KEYS["A"]], [], mailgun_body("A", TS), "STALE", now=TS + 400, source=MG, content_type="application/json")
add("mailgun: future", "mailgun", [KEYS["A"]], [], mailgun_body("A", TS), "STALE", now=TS - 400, source=MG, content_type="application/json")
form_sig = hexs(hmac("sha256", k("A"), (str(TS) + "tok123").encode()))
add("mailgun: legacy form fields", "mailgun", [KEYS["A"]], [], "timestamp=%d&token=tok123&signature=%s&event=delivered" % (TS, form_sig),
    "ok", source=MG, content_type=FORM)

# Twilio, derived: rotation and missing header on the library's request
add("twilio: rotation, second auth token matches", "twilio", ["other-token", "12345"],
    [["X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="]], TW_FORM, "ok", url=TW_URL, content_type=FORM, source=TWILIO_SRC, derived=False)
add("twilio: signature header missing", "twilio", ["12345"], [], TW_FORM, "MISSING", url=TW_URL, content_type=FORM)
tw_sig = b64(hmac("sha1", b"12345", (TW_URL + "CallSidCA1234567890ABCDECaller+14158675309Digits1234From+14158675309To+18005551212").encode()))
add("twilio: derived with openssl equals the library vector", "twilio", ["12345"], [["X-Twilio-Signature", tw_sig]], TW_FORM, "ok",
    url=TW_URL, content_type=FORM)

# ---------------------------------------------------------------- tokens


def token_cases(scheme, header, value_of, malformed, options=None, secret_of=lambda s: s):
    ok = [[header, value_of(KEYS["A"])]]
    add(scheme + ": valid", scheme, [secret_of(KEYS["A"])], ok, BODY, "ok", options=options)
    add(scheme + ": wrong token", scheme, [secret_of(KEYS["A"])], [[header, value_of(KEYS["B"])]], BODY, "MISMATCH", options=options)
    add(scheme + ": token one character longer", scheme, [secret_of(KEYS["A"])], [[header, value_of(KEYS["A"] + "x")]], BODY, "MISMATCH", options=options)
    add(scheme + ": header missing", scheme, [secret_of(KEYS["A"])], [], BODY, "MISSING", options=options)
    add(scheme + ": malformed header", scheme, [secret_of(KEYS["A"])], [[header, malformed]], BODY, "MALFORMED", options=options)
    add(scheme + ": rotation", scheme, [secret_of(KEYS["B"]), secret_of(KEYS["A"])], ok, BODY, "ok", options=options)
    add(scheme + ": rotation, matching token expired", scheme, [expired(secret_of(KEYS["A"])), secret_of(KEYS["B"])], ok, BODY,
        "MISMATCH", options=options)
    add(scheme + ": header sent twice, one matches", scheme, [secret_of(KEYS["A"])], [[header, value_of(KEYS["B"])]] + ok, BODY,
        "ok", options=options)


token_cases("gitlab", "X-Gitlab-Token", lambda t: t, "")
token_cases("gitlab-token", "X-Gitlab-Token", lambda t: t, "")
token_cases("bearer", "Authorization", lambda t: "Bearer " + t, "Token abc")
token_cases("basic", "Authorization", lambda t: "Basic " + b64(("hooks:" + t).encode()), "Basic !!!", secret_of=lambda t: "hooks:" + t)
token_cases("header-token", "X-Webhook-Token", lambda t: "tok " + t, "token-without-prefix",
            options={"header": "X-Webhook-Token", "prefix": "tok "})
# GitLab signing token: Standard Webhooks v1 under webhook- headers
standard_cases("gitlab", lambda key_id, body, ts: sw_sign("webhook-", SW_SECRET, key_id, body, ts), "webhook-signature",
               "v1,%%%", BODY, SW_SECRET["A"], SW_SECRET["B"], tolerance=300,
               doc="GitLab signing token: Standard Webhooks v1 (webhook-id, webhook-timestamp, webhook-signature)")
add("gitlab: token and signing token configured, token request", "gitlab", [KEYS["A"], SW_SECRET["A"]],
    [["X-Gitlab-Token", KEYS["A"]]], BODY, "ok")
add("gitlab: token and signing token configured, signed request", "gitlab", [KEYS["A"], SW_SECRET["A"]],
    sw_sign("webhook-", SW_SECRET, "A", BODY, TS), BODY, "ok")
add("gitlab: signed request but only a plain token configured", "gitlab", [KEYS["A"]],
    sw_sign("webhook-", SW_SECRET, "A", BODY, TS), BODY, "MISMATCH")

# ---------------------------------------------------------------- addresses and none
add("cidr: client inside GitHub's hook range", "cidr", [], [], BODY, "ok", options={"allow": "192.30.252.0/22, 2a0a:a440::/29"},
    remote="192.30.252.10", source="GitHub meta API hook ranges (example)")
add("cidr: IPv6 client inside the range", "cidr", [], [], BODY, "ok", options={"allow": "192.30.252.0/22, 2a0a:a440::/29"},
    remote="2a0a:a440::1", source="GitHub meta API hook ranges (example)")
add("cidr: client outside every range", "cidr", [], [], BODY, "FORBIDDEN", options={"allow": "192.30.252.0/22"},
    remote="203.0.113.9", source="documentation range TEST-NET-3")
add("none: anything is accepted", "none", [], [], BODY, "ok", source="unsigned endpoint")

# AWS SNS: the documented example messages. Their certificate is made by the test on each run
# (AWS's own expires), so the test signs these fields and serves the certificate over loopback HTTPS.
SNS_SOURCE = "https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html (example messages)"
SNS_MESSAGES = [
    {"source": SNS_SOURCE, "fields": {
        "Type": "Notification",
        "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
        "Subject": "My First Message",
        "Message": "Hello world!",
        "Timestamp": "2012-05-02T00:54:06.655Z",
        "UnsubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96"}},
    {"source": SNS_SOURCE, "fields": {
        "Type": "SubscriptionConfirmation",
        "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
        "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
        "Message": "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
        "SubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
        "Timestamp": "2012-04-26T20:45:04.751Z"}},
]

with open(os.path.join(HERE, "signature-vectors.json"), "w") as f:
    json.dump({
        "about": "Webhook signature test vectors. Official vectors (derived=false) are copied from the source named; "
                 "derived ones were computed with openssl by derive-vectors.py from each provider's documented algorithm. "
                 "Secrets here are test values, never real. Times are ISO-8601 UTC; 'now' is the verifier's clock.",
        "vectors": VECTORS,
        "snsMessages": SNS_MESSAGES}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(len(VECTORS), "vectors")
