#!/usr/bin/env python3
"""A STAND-IN for the `gitlab-runner` binary (`run` and `verify` with --config), for tests only.

The real gitlab-runner is not installed here and talks to a GitLab a test cannot reach. This
stand-in does the part a fleet install depends on, the way the runner does it: it reads
config.toml with Python's tomllib (the file is TOML; the runner uses BurntSushi/toml), and
- `verify --config FILE`: POST {url}/api/v4/runners/verify with {"token": …} for each
  [[runners]] entry, and logs "Verifying runner... is valid" or "is not valid" (gitlab-runner
  commands/verify.go, network/gitlab.go; reference/next-platforms.md B2);
- `run --config FILE --working-directory DIR`: logs "Configuration loaded", then asks for jobs
  (POST {url}/api/v4/jobs/request with {"token": …}) every 3 s and logs "Checking for jobs...
  forbidden" on 403 (nothing for 204 "no job", as the runner at info level); SIGHUP reads
  config.toml again and logs "Configuration loaded" (the runner's documented reload signal);
  SIGTERM/SIGQUIT stop it.
"""
import datetime
import json
import signal
import sys
import time
import tomllib
import urllib.error
import urllib.request


def log(level, text, **fields):
    stamp = datetime.datetime.now().strftime('%Y-%m-%dT%H:%M:%S')
    extra = ' '.join(f'{k}={v}' for k, v in fields.items())
    print(f'{stamp} {level:<7} {text:<50} {extra}'.rstrip(), flush=True)


def load(path):
    with open(path, 'rb') as f:
        return tomllib.load(f)


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method='POST', headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError as e:
        return str(e)


def short(token):
    return token[:8] + '…' if len(token) > 8 else token


def verify(cfg):
    for r in cfg.get('runners', []):
        code = post(r['url'].rstrip('/') + '/api/v4/runners/verify', {'token': r['token']})
        if code == 200:
            log('INFO', 'Verifying runner... is valid', runner=short(r['token']))
        elif code == 403:
            log('ERROR', 'Verifying runner... is not valid', runner=short(r['token']))
        else:
            log('ERROR', f'Verifying runner... failed: {code}', runner=short(r['token']))
    return 0


def run(path):
    state = {'cfg': load(path)}
    log('INFO', f'Starting multi-runner from {path}...')

    def loaded():
        log('INFO', 'Configuration loaded', builds=0, max_builds=state['cfg'].get('concurrent', 1))

    def reload(_signum, _frame):
        state['cfg'] = load(path)
        loaded()

    def stop(signum, _frame):
        log('INFO', f'Received signal {signal.Signals(signum).name}, stopping')
        sys.exit(0)

    signal.signal(signal.SIGHUP, reload)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGQUIT, stop)
    loaded()
    while True:
        for r in state['cfg'].get('runners', []):
            code = post(r['url'].rstrip('/') + '/api/v4/jobs/request', {'token': r['token']})
            if code == 403:
                log('WARNING', 'Checking for jobs... forbidden', runner=short(r['token']), status='403 Forbidden')
            elif code not in (201, 204):
                log('WARNING', 'Checking for jobs... failed', runner=short(r['token']), status=code)
        time.sleep(3)


def main():
    args = sys.argv[1:]
    if len(args) >= 3 and args[0] == 'verify' and args[1] == '--config':
        return verify(load(args[2]))
    if len(args) == 5 and args[0] == 'run' and args[1] == '--config' and args[3] == '--working-directory':
        return run(args[2])
    print('usage: gitlab-runner verify --config FILE | run --config FILE --working-directory DIR', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
