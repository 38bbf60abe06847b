#!/usr/bin/env python3
"""A STAND-IN for the `docker` client, for tests only.

These machines have the docker client but no Docker daemon, so `docker run` cannot start a
container. This stand-in records every call (one JSON array a line in $DOCKER_STANDIN_DIR/calls.log)
and does what the daemon would do for the calls the host recipes make:
- `run -d --name NAME ... --env-file FILE ... IMAGE`: reads FILE as docker does (each line
  KEY=VALUE taken literally, '#' lines and blank lines skipped), then starts the agent stand-in
  the image names ($DOCKER_STANDIN_DIR/images.json: {image prefix: argv}) with exactly that
  environment, detached, its output kept as the container's log; refuses a second NAME (exit 125);
- `container inspect NAME` / `inspect -f '{{.State.Status}}' NAME`: exit 1 for no such
  container, else "running" or "exited";
- `logs [--since N | --tail N] NAME`: the container's log; `logs -f NAME` follows it until the
  container is removed;
- `rm -f NAME`: kills the process and forgets the container;
- `exec NAME PROGRAM ARGS...`: runs PROGRAM on this host (the stand-in agents listen on loopback).

Without an images.json, every image runs the built-in Harness delegate stand-in (the fleet's
Ansible test): with the env file's environment it registers with the manager stand-in (POST
<MANAGER_HOST_AND_PORT>/api/agent/delegates/register, the token in the Authorization header) and
prints the delegate's own log lines ("Registering delegate with delegate name:", "Delegate
registered with id", "Sent 1 heartbeat calls to manager"; harness-core DelegateAgentServiceImpl).
The real delegate serves GET /api/health on port 3460 inside its container; these "containers"
share the host's network, so the stand-in serves it on the port $DOCKER_STANDIN_DIR/health-ports.json
gives its container ({name: port}; absent: none), answering 200 once registered, or the status
written in $DOCKER_STANDIN_DIR/<name>.health-status (registered, yet unhealthy).

Its state folder is $DOCKER_STANDIN_DIR, or the folder a test writes into the STATE line below
when it copies this file as <bin>/docker (hosts whose environment it does not set).
"""
import datetime
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

BAKED = '@STATE@'
STATE = BAKED if not BAKED.startswith('@') else os.environ.get('DOCKER_STANDIN_DIR', '/tmp/docker-standin')


def path(name, ext):
    return os.path.join(STATE, f'{name}.{ext}')


def alive(name):
    try:
        with open(path(name, 'pid')) as f:
            pid = int(f.read())
        os.kill(pid, 0)
        with open(f'/proc/{pid}/stat') as f:
            return f.read().split()[2] != 'Z'
    except (OSError, ValueError):
        return False


def exists(name):
    return os.path.exists(path(name, 'pid'))


def env_file(file):
    env = {}
    with open(file, encoding='utf-8') as f:
        for line in f.read().splitlines():
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            key, _, value = line.partition('=')
            env[key] = value
    return env


def run(args):
    name, env, image, i = None, {}, None, 0
    takes_value = {'--name', '--restart', '--cpus', '--memory', '--env-file', '-v', '-u', '-e'}
    while i < len(args):
        a = args[i]
        if a == '-d':
            i += 1
            continue
        if a.startswith('--') and '=' in a:
            a, value = a.split('=', 1)
            args[i:i + 1] = [a, value]
        if a in takes_value:
            if a == '--name':
                name = args[i + 1]
            if a == '--env-file':
                env.update(env_file(args[i + 1]))
            if a == '-e':
                k, _, v = args[i + 1].partition('=')
                env[k] = v
            i += 2
            continue
        image = a
        break
    if not name or not image:
        print('docker: run needs --name and an image', file=sys.stderr)
        return 125
    if exists(name):
        print(f'docker: Error response from daemon: Conflict. The container name "/{name}" is already in use.', file=sys.stderr)
        return 125
    images_file = os.path.join(STATE, 'images.json')
    if os.path.exists(images_file):
        with open(images_file, encoding='utf-8') as f:
            images = json.load(f)
        program = next((p for prefix, p in images.items() if image.startswith(prefix)), None)
    else:
        images, program = {}, [sys.executable, os.path.abspath(__file__), '__harness-delegate']
    if not program:
        print(f'docker: Unable to find image {image!r} (stand-in knows {sorted(images)})', file=sys.stderr)
        return 125
    log = open(path(name, 'log'), 'ab')
    ports_file = os.path.join(STATE, 'health-ports.json')
    if os.path.exists(ports_file):
        with open(ports_file, encoding='utf-8') as f:
            port = json.load(f).get(name)
        if port:
            env = {**env, 'STANDIN_HEALTH_PORT': str(port), 'STANDIN_HEALTH_STATUS_FILE': path(name, 'health-status')}
    child = subprocess.Popen(program, env={'PATH': os.environ.get('PATH', '/usr/bin:/bin'), **env}, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True, cwd=STATE)
    with open(path(name, 'pid'), 'w') as f:
        f.write(str(child.pid))
    print(f'{child.pid:064x}')
    return 0


def harness_delegate():
    """The built-in Harness delegate stand-in (a "container" without an images.json), its log on stdout."""
    env = os.environ

    def log(level, text):
        stamp = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]
        print(f'{stamp} [main] {level}  io.harness.delegate.service.DelegateAgentServiceImpl - {text}', flush=True)

    registered = threading.Event()
    if env.get('STANDIN_HEALTH_PORT'):
        status_file = env.get('STANDIN_HEALTH_STATUS_FILE', '')

        class Health(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != '/api/health':
                    self.send_error(404)
                    return
                try:
                    with open(status_file, encoding='utf-8') as f:
                        code = int(f.read().strip())
                except (OSError, ValueError):
                    code = 200 if registered.is_set() else 503
                body = b'healthy (stand-in)' if code // 100 == 2 else b'unhealthy (stand-in): socket closed or heartbeats failing'
                self.send_response(code)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_):
                pass

        server = http.server.ThreadingHTTPServer(('127.0.0.1', int(env['STANDIN_HEALTH_PORT'])), Health)
        threading.Thread(target=server.serve_forever, daemon=True).start()

    log('INFO', f"Registering delegate with delegate name: {env.get('DELEGATE_NAME', '')}")
    url = f"{env['MANAGER_HOST_AND_PORT']}/api/agent/delegates/register?accountId={env.get('ACCOUNT_ID', '')}"
    req = urllib.request.Request(url, data=b'', method='POST', headers={'Authorization': f"Delegate {env.get('DELEGATE_TOKEN', '')}", 'X-Delegate-Name': env.get('DELEGATE_NAME', '')})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            registered.set()
            log('INFO', f'Delegate registered with id {r.read().decode().strip()}')
            log('INFO', 'Sent 1 heartbeat calls to manager')
    except urllib.error.HTTPError as e:
        log('ERROR', f'stand-in: the manager refused the registration ({e.code})')
    while True:
        time.sleep(1)


def follow(name):
    at = 0
    while True:
        try:
            with open(path(name, 'log'), 'rb') as f:
                f.seek(at)
                chunk = f.read()
                at = f.tell()
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
        except OSError:
            pass
        if not exists(name):
            return 0
        time.sleep(0.2)


def main():
    if sys.argv[1:2] == ['__harness-delegate']:
        return harness_delegate()
    os.makedirs(STATE, exist_ok=True)
    args = sys.argv[1:]
    with open(os.path.join(STATE, 'calls.log'), 'a') as f:
        f.write(json.dumps(args) + '\n')
    if not args:
        return 1
    cmd, rest = args[0], args[1:]
    if cmd == 'run':
        return run(rest)
    if cmd in ('inspect', 'container'):
        if cmd == 'container':
            rest = rest[1:]
        name = rest[-1]
        if not exists(name):
            print(f'Error: No such container: {name}', file=sys.stderr)
            return 1
        print('running' if alive(name) else 'exited')
        return 0
    if cmd == 'logs':
        name = rest[-1]
        if not exists(name):
            print(f'Error: No such container: {name}', file=sys.stderr)
            return 1
        if '-f' in rest or '--follow' in rest:
            return follow(name)
        with open(path(name, 'log'), 'rb') as f:
            sys.stdout.buffer.write(f.read())
        return 0
    if cmd == 'rm':
        name = rest[-1]
        if not exists(name):
            print(f'Error: No such container: {name}', file=sys.stderr)
            return 1
        if alive(name):
            with open(path(name, 'pid')) as f:
                os.killpg(int(f.read()), signal.SIGKILL)
            time.sleep(0.2)
        for ext in ('pid', 'log'):
            if os.path.exists(path(name, ext)):
                os.remove(path(name, ext))
        print(name)
        return 0
    if cmd == 'exec':
        name = rest[0]
        if not alive(name):
            print(f'Error response from daemon: container {name} is not running', file=sys.stderr)
            return 1
        return subprocess.call(rest[1:])
    print(f'docker stand-in: {cmd} is not stood in for', file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())
