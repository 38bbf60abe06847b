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
- `logs [--since N | --tail N] NAME`: the container's log;
- `rm -f NAME`: kills the process and forgets the container;
- `exec NAME PROGRAM ARGS...`: runs PROGRAM on this host (the stand-in agents listen on loopback).
"""
import json
import os
import signal
import subprocess
import sys
import time

STATE = os.environ.get('DOCKER_STANDIN_DIR', '/tmp/docker-standin')


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
    with open(os.path.join(STATE, 'images.json'), encoding='utf-8') as f:
        images = json.load(f)
    program = next((p for prefix, p in images.items() if image.startswith(prefix)), None)
    if not program:
        print(f'docker: Unable to find image {image!r} (stand-in knows {sorted(images)})', file=sys.stderr)
        return 125
    log = open(path(name, 'log'), 'ab')
    child = subprocess.Popen(program, env={'PATH': os.environ.get('PATH', '/usr/bin:/bin'), **env}, stdout=log, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True, cwd=STATE)
    with open(path(name, 'pid'), 'w') as f:
        f.write(str(child.pid))
    print(f'{child.pid:064x}')
    return 0


def main():
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
