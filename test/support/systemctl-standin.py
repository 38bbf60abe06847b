#!/usr/bin/env python3
"""A STAND-IN for `systemctl` and `journalctl` (one script, by the name it is called as), for tests only.

systemd is not PID 1 on these machines, so systemctl cannot start units and there is no journal.
This stand-in records every call ($SYSTEMCTL_STANDIN_DIR/calls.log, one JSON array a line) and does
to the files what systemd would: a unit is read from /etc/systemd/system/<unit> or, standing for a
package's /lib/systemd/system, $SYSTEMCTL_STANDIN_DIR/units/<unit>, with its drop-ins
(/etc/systemd/system/<unit>.d/*.conf); `start`/`restart` runs its [Service] ExecStart= (split as
systemd splits it, for the plain and double-quoted words the generators write) with its
Environment=/EnvironmentFile= and as its User= (runuser) when that user exists, detached, its output
appended to the unit's "journal"; `stop`/`disable --now` kill it; `is-active` says active or
inactive; `daemon-reload` and `enable` are recorded. As `journalctl -u UNIT [-u …] … -o cat` it
prints the journal of each unit (a glob like armorcode-tunnel-* included), as `-o cat` shows it.
"""
import fnmatch
import glob
import json
import os
import pwd
import shlex
import signal
import subprocess
import sys

STATE = os.environ.get('SYSTEMCTL_STANDIN_DIR', '/tmp/systemctl-standin')


def unit_name(u):
    return u if '.' in u else f'{u}.service'


def read_unit(u):
    paths = [f'/etc/systemd/system/{u}', os.path.join(STATE, 'units', u)]
    main = next((p for p in paths if os.path.exists(p)), None)
    if not main:
        return None
    texts = [open(main, encoding='utf-8').read()]
    texts += [open(p, encoding='utf-8').read() for p in sorted(glob.glob(f'/etc/systemd/system/{u}.d/*.conf'))]
    service = {'Environment': [], 'EnvironmentFile': []}
    for text in texts:
        section = None
        for line in text.splitlines():
            line = line.strip()
            if not line or line[0] in '#;':
                continue
            if line.startswith('['):
                section = line
                continue
            if section not in ('[Service]', '[Unit]') or '=' not in line:
                continue
            k, v = line.split('=', 1)
            if k in ('Environment', 'EnvironmentFile'):
                service[k].append(v)
            else:
                service[k] = v
    return service


def pid_of(u):
    try:
        with open(os.path.join(STATE, f'{u}.pid')) as f:
            pid = int(f.read())
        os.kill(pid, 0)
        with open(f'/proc/{pid}/stat') as f:
            return pid if f.read().split()[2] != 'Z' else None
    except (OSError, ValueError):
        return None


def stop(u):
    pid = pid_of(u)
    if pid:
        os.killpg(pid, signal.SIGTERM)


def start(u):
    service = read_unit(u)
    if service is None:
        print(f'Failed to start {u}: Unit {u} not found.', file=sys.stderr)
        return 5
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin')}
    for f in service['EnvironmentFile']:
        for line in open(f.lstrip('-'), encoding='utf-8').read().splitlines():
            if line.strip() and not line.lstrip().startswith('#') and '=' in line:
                k, v = line.split('=', 1)
                env[k.strip()] = v[1:-1] if len(v) >= 2 and v[0] == v[-1] == '"' else v
    for e in service['Environment']:
        for word in shlex.split(e):
            k, _, v = word.partition('=')
            env[k] = v
    argv = shlex.split(service['ExecStart'])
    user = service.get('User')
    if user:
        try:
            pwd.getpwnam(user)
            argv = ['runuser', '-u', user, '--'] + argv
        except KeyError:
            pass
    journal = open(os.path.join(STATE, f'{u}.journal'), 'ab')
    # systemd logs "Started <Description>." in the unit's journal when it starts it.
    journal.write(f"Started {service.get('Description', u)}.\n".encode())
    journal.flush()
    child = subprocess.Popen(argv, env=env, stdout=journal, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, cwd='/')
    with open(os.path.join(STATE, f'{u}.pid'), 'w') as f:
        f.write(str(child.pid))
    return 0


def systemctl(args):
    words = [a for a in args if not a.startswith('-')]
    cmd, units = words[0], [unit_name(u) for u in words[1:]]
    if cmd in ('daemon-reload', 'enable'):
        return 0
    if cmd in ('stop', 'disable'):
        if cmd == 'stop' or '--now' in args:
            for u in units:
                stop(u)
        return 0
    if cmd in ('start', 'restart'):
        for u in units:
            if cmd == 'restart':
                stop(u)
            rc = start(u)
            if rc:
                return rc
        return 0
    if cmd == 'is-active':
        # A glob (armorcode-tunnel-*) names the units it matches, as systemctl's PATTERN does for loaded units.
        names = [os.path.basename(p)[: -len('.pid')] for p in glob.glob(os.path.join(STATE, '*.pid'))]
        units = [n for u in units for n in ([m for m in names if fnmatch.fnmatch(m, u)] if any(c in u for c in '*?[') else [u])]
        states = ['active' if pid_of(u) else 'inactive' for u in units] or ['inactive']
        if '--quiet' not in args:
            print('\n'.join(states))
        return 0 if 'active' in states else 3
    print(f'systemctl stand-in: {cmd} is not stood in for', file=sys.stderr)
    return 1


def journalctl(args):
    patterns = [unit_name(args[i + 1]) for i, a in enumerate(args) if a == '-u']
    for path in sorted(glob.glob(os.path.join(STATE, '*.journal'))):
        u = os.path.basename(path)[: -len('.journal')]
        if any(fnmatch.fnmatch(u, p) for p in patterns):
            with open(path, 'rb') as f:
                sys.stdout.buffer.write(f.read())
    return 0


def main():
    os.makedirs(STATE, exist_ok=True)
    name = os.path.basename(sys.argv[0])
    with open(os.path.join(STATE, 'calls.log'), 'a') as f:
        f.write(json.dumps([name] + sys.argv[1:]) + '\n')
    return journalctl(sys.argv[1:]) if name == 'journalctl' else systemctl(sys.argv[1:])


if __name__ == '__main__':
    sys.exit(main())
