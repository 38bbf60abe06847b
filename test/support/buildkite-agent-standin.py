#!/usr/bin/env python3
"""A STAND-IN for `buildkite-agent start [--config FILE]`, for tests only.

The real agent cannot run here: it is not installed and registers with Buildkite's Agent API,
which a test cannot reach. This stand-in does the part a fleet install depends on, the way the
agent does it: it reads the cfg with the agent's rules (key=value, a value in double or single
quotes or bare, '#' comments; buildkite/agent cliconfig), POSTs {endpoint}/register with
`Authorization: Token <token>` (buildkite/agent api/agents.go), and prints the agent's own log
lines (quoted in reference/next-platforms.md A1 from clicommand/agent_start.go, core/client.go,
agent/agent_worker_streaming.go). A refused token prints the agent's 401 line and exits 1.
Without --config it reads the Linux package's /etc/buildkite-agent/buildkite-agent.cfg when there
is one, and the environment over it (BUILDKITE_AGENT_TOKEN, _NAME, _TAGS, _ENDPOINT), as the agent
does for the systemd, env and Docker install types.
With health-check-addr (BUILDKITE_AGENT_HEALTH_CHECK_ADDR) it heartbeats (POST {endpoint}/heartbeat
with the access token, api/heartbeats.go) and serves the agent's health endpoint there with the
agent's own answers (agent/agent_pool.go, quoted in reference/next-platforms.md A1).
"""
import datetime
import http.server
import threading
import json
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request


def log(level, text):
    stamp = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S')
    print(f'{stamp} {level:<6} {text}', flush=True)


def read_cfg(path):
    values = {}
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith('#') or '=' not in line:
                continue
            key, value = line.split('=', 1)
            key, value = key.strip(), value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
                value = value[1:-1]
            values[key] = value
    return values


def main():
    args = sys.argv[1:]
    if args == ['start']:
        # The Linux package's default config path, then the environment over it (as the agent does).
        default = '/etc/buildkite-agent/buildkite-agent.cfg'
        cfg = read_cfg(default) if os.path.exists(default) else {}
        env = {
            'token': 'BUILDKITE_AGENT_TOKEN',
            'name': 'BUILDKITE_AGENT_NAME',
            'tags': 'BUILDKITE_AGENT_TAGS',
            'endpoint': 'BUILDKITE_AGENT_ENDPOINT',
            'health-check-addr': 'BUILDKITE_AGENT_HEALTH_CHECK_ADDR',
        }
        cfg.update({k: os.environ[v] for k, v in env.items() if v in os.environ})
    elif len(args) == 3 and args[0] == 'start' and args[1] == '--config':
        cfg = read_cfg(args[2])
    else:
        print('usage: buildkite-agent start [--config FILE]', file=sys.stderr)
        return 2
    log('NOTICE', f'Starting buildkite-agent v3.87.1 with PID: {os.getpid()}')
    token = cfg.get('token', '')
    if not token:
        log('FATAL', 'Missing token. See: `buildkite-agent start --help`')
        return 1
    name = cfg.get('name', '%hostname-%spawn').replace('%hostname', socket.gethostname()).replace('%spawn', '1')
    tags = [t.strip() for t in cfg.get('tags', '').split(',') if t.strip()]
    endpoint = cfg.get('endpoint', 'https://agent-edge.buildkite.com/v3').rstrip('/')
    url = f'{endpoint}/register'
    log('INFO', 'Registering agent with Buildkite...')
    body = json.dumps({'name': name, 'hostname': socket.gethostname(), 'tags': tags}).encode()
    request = urllib.request.Request(url, data=body, method='POST', headers={'Authorization': f'Token {token}', 'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            registered = json.load(answer)
    except urllib.error.HTTPError as e:
        log('ERROR', f'POST {url}: {e.code} {e.reason}')
        return 1
    except OSError as e:
        log('ERROR', f'POST {url}: dial tcp: {e}')
        return 1
    log('INFO', f'Successfully registered agent "{registered.get("name", name)}" with tags [{", ".join(tags)}]')
    log('INFO', 'Connecting to Buildkite...')
    log('INFO', f'{registered.get("name", name)} Ping stream connection established')
    if cfg.get('health-check-addr'):
        serve_health(cfg['health-check-addr'], endpoint, registered.get('access_token', ''))

    def stop(signum, _frame):
        log('INFO', f'Received signal `{signal.Signals(signum).name}`, stopping')
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        time.sleep(3600)


def serve_health(addr, endpoint, access_token):
    state = {'ok': None, 'error': None}

    def heartbeat():
        while True:
            request = urllib.request.Request(
                f'{endpoint}/heartbeat', data=b'{}', method='POST', headers={'Authorization': f'Token {access_token}', 'Content-Type': 'application/json'}
            )
            try:
                with urllib.request.urlopen(request, timeout=5):
                    state['ok'], state['error'] = time.time(), None
            except urllib.error.HTTPError as e:
                state['error'] = f'POST {endpoint}/heartbeat: {e.code} {e.reason}'
            except OSError as e:
                state['error'] = f'POST {endpoint}/heartbeat: {e}'
            time.sleep(1)

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == '/':
                status, text = 200, 'OK: Buildkite agent is running'
            elif self.path == '/agent/1':
                since = f'{time.time() - state["ok"]:.0f}s ago' if state['ok'] else 'never'
                if state['error']:
                    status, text = 500, f'ERROR: last heartbeat failed: {state["error"]}. last successful was {since}'
                elif state['ok']:
                    status, text = 200, f'OK: last heartbeat successful {since}'
                else:
                    status, text = 200, 'OK: no heartbeat yet'
            else:
                status, text = 404, 'not found'
            self.send_response(status)
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *_args):
            pass

    host, _, port = addr.rpartition(':')
    server = http.server.HTTPServer((host or '0.0.0.0', int(port)), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=heartbeat, daemon=True).start()


if __name__ == '__main__':
    sys.exit(main())
