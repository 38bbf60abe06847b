#!/usr/bin/env python3
"""A STAND-IN for the `docker` client, for tests only: there is no Docker daemon here.

The test copies it to <dir>/bin/docker (STATE below replaced with a folder of its own) and puts
that folder first on the test hosts' PATH (sshd SetEnv). It records every call in STATE/calls.log
and does what the daemon would for the commands the Harness role and run-delegate.sh use:
`container inspect NAME`, `run -d --name NAME ... --env-file FILE IMAGE` (reads the env file as
docker does: NAME=value lines, '#' comments, the value taken literally), `logs -f NAME`,
`rm -f NAME`. The "container" is a stand-in delegate process: with the environment from the env
file it registers with the manager stand-in (POST <MANAGER_HOST_AND_PORT>/api/agent/delegates/
register, the token in the Authorization header) and prints the delegate's own log lines
("Registering delegate with delegate name:", "Delegate registered with id", "Sent 1 heartbeat
calls to manager"; harness-core DelegateAgentServiceImpl), which `docker logs` prints.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

STATE = '@STATE@'


def path(name, ext):
    return os.path.join(STATE, f'{name}.{ext}')


def exists(name):
    return os.path.exists(path(name, 'json'))


def read_env(file):
    env = {}
    with open(file, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#') or '=' not in line:
                continue
            k, v = line.split('=', 1)
            env[k] = v
    return env


def delegate(name):
    env = json.load(open(path(name, 'json'), encoding='utf-8'))['env']
    out = open(path(name, 'log'), 'a', encoding='utf-8')

    def log(level, text):
        stamp = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]
        out.write(f'{stamp} [main] {level}  io.harness.delegate.service.DelegateAgentServiceImpl - {text}\n')
        out.flush()

    log('INFO', f"Registering delegate with delegate name: {env.get('DELEGATE_NAME', '')}")
    url = f"{env['MANAGER_HOST_AND_PORT']}/api/agent/delegates/register?accountId={env.get('ACCOUNT_ID', '')}"
    req = urllib.request.Request(url, data=b'', method='POST', headers={'Authorization': f"Delegate {env.get('DELEGATE_TOKEN', '')}", 'X-Delegate-Name': env.get('DELEGATE_NAME', '')})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            log('INFO', f'Delegate registered with id {r.read().decode().strip()}')
            log('INFO', 'Sent 1 heartbeat calls to manager')
    except urllib.error.HTTPError as e:
        log('ERROR', f'stand-in: the manager refused the registration ({e.code})')
    while True:
        time.sleep(1)


def main():
    args = sys.argv[1:]
    os.makedirs(STATE, exist_ok=True)
    with open(os.path.join(STATE, 'calls.log'), 'a', encoding='utf-8') as f:
        f.write(json.dumps(args) + '\n')
    if args[:1] == ['__delegate']:
        return delegate(args[1])
    if args[:2] == ['container', 'inspect']:
        if exists(args[2]):
            print(open(path(args[2], 'json'), encoding='utf-8').read())
            return 0
        print(f'Error: No such container: {args[2]}', file=sys.stderr)
        return 1
    if args[:1] == ['run']:
        name = args[args.index('--name') + 1]
        env_file = args[args.index('--env-file') + 1]
        if exists(name):
            print(f'docker: Error response from daemon: Conflict. The container name "/{name}" is already in use.', file=sys.stderr)
            return 125
        with open(path(name, 'json'), 'w', encoding='utf-8') as f:
            json.dump({'args': args, 'env': read_env(env_file), 'image': args[-1]}, f)
        open(path(name, 'log'), 'w').close()
        child = subprocess.Popen([os.path.abspath(__file__), '__delegate', name], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        with open(path(name, 'pid'), 'w', encoding='utf-8') as f:
            f.write(str(child.pid))
        print(f'standin{child.pid:058d}')
        return 0
    if args[:2] == ['logs', '-f']:
        name = args[2]
        if not exists(name):
            print(f'Error: No such container: {name}', file=sys.stderr)
            return 1
        at = 0
        while True:
            try:
                with open(path(name, 'log'), encoding='utf-8') as f:
                    f.seek(at)
                    chunk = f.read()
                    at = f.tell()
                sys.stdout.write(chunk)
                sys.stdout.flush()
            except OSError:
                pass
            if not exists(name):
                return 0
            time.sleep(0.2)
    if args[:2] == ['rm', '-f']:
        name = args[2]
        try:
            os.kill(int(open(path(name, 'pid'), encoding='utf-8').read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        for ext in ('json', 'pid', 'log'):
            try:
                os.unlink(path(name, ext))
            except OSError:
                pass
        print(name)
        return 0
    print(f'docker stand-in: unsupported: {args}', file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())
