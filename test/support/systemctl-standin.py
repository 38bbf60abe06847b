#!/usr/bin/env python3
"""A STAND-IN for `systemctl` and `journalctl` (one script, by the name it is called as), for tests only.

systemd is not PID 1 on these machines, so systemctl cannot start units and there is no journal.
This stand-in records every call ($SYSTEMCTL_STANDIN_DIR/calls.log, one JSON array a line) and does
to the files what systemd would: a unit is read from /etc/systemd/system/<unit> or, standing for a
package's /lib/systemd/system, $SYSTEMCTL_STANDIN_DIR/units/<unit>, with its drop-ins
(/etc/systemd/system/<unit>.d/*.conf); `start`/`restart` runs its [Service] ExecStart= (split as
systemd splits it, for the plain and double-quoted words the generators write) with its
Environment=/EnvironmentFile= and as its User= (runuser) when that user exists, detached, its output
appended to the unit's "journal" (each line stamped with the time it was written, as journald
does); `stop`/`disable --now` kill it; `is-active` says active or inactive; `enable` links the unit
into each [Install] WantedBy= target's .wants folder under /etc/systemd/system as systemctl does,
`disable` removes those links, `is-enabled` says whether one is there; `daemon-reload` is recorded.
As `journalctl -u UNIT [-u …] [--since @EPOCH] [-n N] … -o cat` it prints the journal of each unit
(a glob like armorcode-tunnel-* included) from that time, as `-o cat` shows it (the message only).
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
import time

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
            if section not in ('[Service]', '[Unit]', '[Install]') or '=' not in line:
                continue
            k, v = line.split('=', 1)
            if section == '[Install]':
                service.setdefault('Install', {}).setdefault(k, []).extend(v.split())
            elif k in ('Environment', 'EnvironmentFile'):
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
    journal_path = os.path.join(STATE, f'{u}.journal')
    with open(journal_path, 'ab') as journal:
        # systemd logs "Started <Description>." in the unit's journal when it starts it.
        journal.write(stamp(f"Started {service.get('Description', u)}.".encode()))
    # The unit's output goes through a relay that stamps each line, as journald does; it ends when the unit's processes have.
    relay = subprocess.Popen([sys.executable, os.path.abspath(__file__), '__relay', journal_path], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    child = subprocess.Popen(argv, env=env, stdout=relay.stdin, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, cwd='/')
    relay.stdin.close()
    with open(os.path.join(STATE, f'{u}.pid'), 'w') as f:
        f.write(str(child.pid))
    return 0


def stamp(line):
    return b'%.6f ' % time.time() + line.rstrip(b'\n') + b'\n'


def relay(journal_path):
    with open(journal_path, 'ab', buffering=0) as journal:
        for line in sys.stdin.buffer:
            journal.write(stamp(line))
    return 0


def wants_links(u):
    return glob.glob(f'/etc/systemd/system/*.wants/{u}')


def enable(u):
    service = read_unit(u)
    if service is None:
        print(f'Failed to enable unit: Unit file {u} does not exist.', file=sys.stderr)
        return 1
    path = next(p for p in [f'/etc/systemd/system/{u}', os.path.join(STATE, 'units', u)] if os.path.exists(p))
    for target in service.get('Install', {}).get('WantedBy', []):
        wants = f'/etc/systemd/system/{target}.wants'
        os.makedirs(wants, exist_ok=True)
        if not os.path.lexists(os.path.join(wants, u)):
            os.symlink(path, os.path.join(wants, u))
    return 0


def systemctl(args):
    words = [a for a in args if not a.startswith('-')]
    cmd, units = words[0], [unit_name(u) for u in words[1:]]
    if cmd == 'daemon-reload':
        return 0
    if cmd == 'enable':
        for u in units:
            rc = enable(u)
            if rc:
                return rc
        return 0
    if cmd == 'is-enabled':
        states = ['enabled' if wants_links(u) else 'disabled' for u in units]
        if '--quiet' not in args:
            print('\n'.join(states))
        return 0 if states and all(s == 'enabled' for s in states) else 1
    if cmd in ('stop', 'disable'):
        for u in units:
            if cmd == 'disable':
                for link in wants_links(u):
                    os.remove(link)
            if cmd == 'stop' or '--now' in args:
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


def option(args, name):
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + '='):
            return a[len(name) + 1:]
    return None


def journalctl(args):
    patterns = [unit_name(args[i + 1]) for i, a in enumerate(args) if a == '-u']
    since = option(args, '--since')
    if since is not None and not since.startswith('@'):
        print(f'journalctl stand-in: --since {since!r} is not stood in for (only @EPOCH)', file=sys.stderr)
        return 1
    entries = []
    for path in sorted(glob.glob(os.path.join(STATE, '*.journal'))):
        u = os.path.basename(path)[: -len('.journal')]
        if any(fnmatch.fnmatch(u, p) for p in patterns):
            with open(path, 'rb') as f:
                for line in f.read().splitlines():
                    at, _, message = line.partition(b' ')
                    entries.append((float(at), message))
    entries.sort(key=lambda e: e[0])
    if since is not None:
        entries = [e for e in entries if e[0] >= float(since[1:])]
    last = option(args, '-n')
    if last is not None:
        entries = entries[-int(last):] if int(last) else []
    for _, message in entries:
        sys.stdout.buffer.write(message + b'\n')
    return 0


def main():
    if sys.argv[1:2] == ['__relay']:
        return relay(sys.argv[2])
    os.makedirs(STATE, exist_ok=True)
    name = os.path.basename(sys.argv[0])
    with open(os.path.join(STATE, 'calls.log'), 'a') as f:
        f.write(json.dumps([name] + sys.argv[1:]) + '\n')
    return journalctl(sys.argv[1:]) if name == 'journalctl' else systemctl(sys.argv[1:])


if __name__ == '__main__':
    sys.exit(main())
