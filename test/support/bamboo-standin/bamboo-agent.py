#!/usr/bin/env python3
"""A STAND-IN for a Bamboo remote agent's `<home>/bin/bamboo-agent.sh`, for tests only.

The real agent (Atlassian's Java Service Wrapper around the agent jar) cannot run here: it needs a
Bamboo server to register with. The stand-in installer jar (BambooInstallerStandin.java) copies
this file to bin/bamboo-agent.sh. Like the wrapper script it takes start | stop | restart | status
| console; `console` runs the agent in the foreground: it reads conf/wrapper.conf the way the agent
does (the app parameter after the /agentServer/ URL is the security token, after `-t` in the flag
form), presents the token to the loopback Bamboo stand-in, and writes the agent log's lines to
<home>/atlassian-bamboo-agent.log (wrapper.logfile), among them the wrapper's own "--> Wrapper
Started as Daemon", "Launching a JVM..." at each start and "<-- Wrapper Stopped" at the stop, and
the real "Bamboo agent '<name>' ready to receive builds." (reference/next-platforms.md A3) when the
server accepts it. The agent's
name is the host's: here the name of the test host's install root (root-<name>).
"""
import datetime
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PID = os.path.join(HOME, 'bin', 'bamboo-agent.pid')
LOG = os.path.join(HOME, 'atlassian-bamboo-agent.log')
NAME = os.path.basename(os.path.dirname(os.path.dirname(HOME))).replace('root-', '', 1)


def log(level, text):
    now = datetime.datetime.now()
    with open(LOG, 'a', encoding='utf-8') as f:
        f.write(f'{level:<6} | jvm 1    | {now:%Y/%m/%d %H:%M:%S} | {now:%Y-%m-%d %H:%M:%S},000 {level} [main] {text}\n')


def wrapper(level, text):
    """A line of the Java Service Wrapper itself, in its log format: "STATUS | wrapper  | <time> | <text>"."""
    now = datetime.datetime.now()
    with open(LOG, 'a', encoding='utf-8') as f:
        f.write(f'{level:<6} | wrapper  | {now:%Y/%m/%d %H:%M:%S} | {text}\n')


def read_conf():
    params = {}
    with open(os.path.join(HOME, 'conf', 'wrapper.conf'), encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\r\n')
            if line.lstrip().startswith('#') or '=' not in line:
                continue
            key, value = line.split('=', 1)
            m = re.fullmatch(r'wrapper\.app\.parameter\.(\d+)', key.strip(), re.I)
            if m:
                params[int(m.group(1))] = value.strip()
    url = [n for n, v in params.items() if re.fullmatch(r'https?://\S+/agentServer/?', v, re.I)][0]
    at = url + 2 if params.get(url + 1) == '-t' else url + 1
    return params[url], params.get(at, '')


def running():
    try:
        with open(PID, encoding='utf-8') as f:
            os.kill(int(f.read().strip()), 0)
        return True
    except (OSError, ValueError):
        return False


def console(mode='Console'):
    with open(PID, 'w', encoding='utf-8') as f:
        f.write(str(os.getpid()))

    def stop(*_):
        log('INFO', 'Stopping the agent (stand-in)')
        os.unlink(PID)
        wrapper('STATUS', '<-- Wrapper Stopped')
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    # The wrapper's own lines at each start, as the real one writes them (Tanuki Java Service
    # Wrapper; shared/platforms/bamboo-remote/ansible.ts WRAPPER_START says where they are confirmed).
    wrapper('STATUS', f'--> Wrapper Started as {mode}')
    wrapper('STATUS', 'Launching a JVM...')
    log('INFO', f'Remote Agent Home: {HOME}')
    url, token = read_conf()
    log('INFO', f'Bamboo server URL: {url}')
    request = urllib.request.Request(url + 'standin/register', method='POST', data=b'', headers={'X-Agent-Name': NAME, 'X-Security-Token': token})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            answer = r.read().decode()
        if answer == 'ready':
            log('INFO', f"Bamboo agent '{NAME}' ready to receive builds.")
        else:
            # The real agent's words for this are unconfirmed (reference/next-platforms.md A3).
            log('INFO', 'stand-in: the server holds this agent until an admin approves it')
    except urllib.error.HTTPError as e:
        log('ERROR', 'Security token is required' if not token else f'stand-in: the server refused the security token ({e.code})')
    while True:
        time.sleep(1)


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ''
    if cmd == 'console':
        return console('Daemon' if sys.argv[2:3] == ['--daemon'] else 'Console')
    if cmd == 'status':
        return 0 if running() else 1
    if cmd in ('stop', 'restart') and running():
        with open(PID, encoding='utf-8') as f:
            os.kill(int(f.read().strip()), signal.SIGTERM)
        for _ in range(100):
            if not running():
                break
            time.sleep(0.1)
    if cmd in ('start', 'restart'):
        out = open(os.devnull, 'w')
        subprocess.Popen([os.path.abspath(__file__), 'console', '--daemon'], stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
        for _ in range(100):
            if running():
                return 0
            time.sleep(0.1)
        return 1
    if cmd == 'stop':
        return 0
    print('usage: bamboo-agent.sh start|stop|restart|status|console', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
