#!/usr/bin/env python3
"""A STAND-IN for a Harness delegate, for tests only: as `java ... -jar watcher.jar
config-watcher.yml` (the shell-script delegate's start.sh runs it) and as the harness/delegate
image's entry (run by the docker stand-in with the container's environment).

The real delegate needs Harness's jars and a Harness manager a test cannot reach. This stand-in
does the part an install depends on: it takes the token where the real one does (the
delegateToken line of config-delegate.yml beside watcher.jar, or DELEGATE_TOKEN in the
container's environment), asks a loopback manager stand-in (POST <manager>/api/agent/delegates/register,
`Authorization: Delegate <token>`) and prints the delegate's own lines, quoted in
reference/next-platforms.md A2 from DelegateAgentServiceImpl.java ("Registering delegate with
delegate name: …", "Delegate registered with id …", "Event:OPEN, message:[…]", and on a refused
token "Delegate used invalid token. Self destruct procedure will be initiated."). While up it
answers GET /api/health on 127.0.0.1:$HARNESS_STANDIN_HEALTH_PORT (default 3460, the delegate's
port) with 200, as DelegateHealthMonitor does while the socket is open.
"""
import datetime
import http.server
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request


def log(out, level, text):
    stamp = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]
    out.write(f'{stamp} [main] {level}  io.harness.delegate.service.DelegateAgentServiceImpl - {text}\n')
    out.flush()


def yaml_value(text, key):
    """The value of a top-level `key: value` line of the generator's YAML (plain, '…' or "…")."""
    m = re.search(rf'^{key}:[ ]*(.*)$', text, re.M)
    if not m:
        return ''
    v = m.group(1).strip()
    if len(v) >= 2 and v[0] == v[-1] == "'":
        return v[1:-1].replace("''", "'")
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return json.loads(v)
    return v


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == '/api/health'
        self.send_response(200 if ok else 404)
        self.end_headers()
        self.wfile.write(b'{"status":"SUCCESS"}' if ok else b'')

    def log_message(self, *args):
        pass


def main():
    args = sys.argv[1:]
    if '-jar' in args:
        # The shell-script delegate: configs beside watcher.jar, log in delegate.log there.
        with open('config-delegate.yml', encoding='utf-8') as f:
            text = f.read()
        token, manager, name = yaml_value(text, 'delegateToken'), yaml_value(text, 'managerUrl'), yaml_value(text, 'delegateName')
        out = open('delegate.log', 'a', encoding='utf-8')
    else:
        token = os.environ.get('DELEGATE_TOKEN', '')
        manager = os.environ.get('MANAGER_HOST_AND_PORT', '').rstrip('/') + '/api/'
        name = os.environ.get('DELEGATE_NAME', '')
        out = sys.stdout
    log(out, 'INFO ', f'Registering delegate with delegate name: {name}')
    req = urllib.request.Request(f'{manager}agent/delegates/register', data=json.dumps({'delegateName': name}).encode(), method='POST',
                                 headers={'Authorization': f'Delegate {token}', 'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(req, timeout=10):
            pass
    except urllib.error.HTTPError as e:
        if e.code == 401:
            log(out, 'WARN ', 'Delegate used invalid token. Self destruct procedure will be initiated.')
        else:
            log(out, 'ERROR', f"Error occurred while registering delegate with manager for account '{name}' - Please see the manager log for more information.")
        return 1
    except OSError as e:
        log(out, 'ERROR', f'Unknown error occurred while registering Delegate [{name}] with manager: {e}')
        return 1
    log(out, 'INFO ', f'Delegate registered with id {secrets.token_hex(8)}')
    log(out, 'INFO ', 'Event:OPEN, message:[Delegate connected]')
    server = http.server.HTTPServer(('127.0.0.1', int(os.environ.get('HARNESS_STANDIN_HEALTH_PORT', '3460'))), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while True:
        time.sleep(3600)


if __name__ == '__main__':
    sys.exit(main())
