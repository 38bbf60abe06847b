#!/usr/bin/env python3
"""A STAND-IN for the GitHub Actions runner's config.sh and run.sh, for tests only.

The real runner (.NET, the actions-runner tarball) cannot run here, and it registers with GitHub,
which a test cannot reach. This stand-in sits in a test-made "actions-runner" tarball as config.sh
and run.sh (two-line wrappers calling it) and does what a fleet install depends on, the way the
runner does it (reference/next-platforms.md B1; actions/runner ConfigurationManager.cs,
CommandSettings.cs, Runner.cs):
- it refuses root ("Must not run with sudo") unless RUNNER_ALLOW_RUNASROOT is set, as config.sh does;
- `config.sh --unattended --url U --name N [--labels L] --runnergroup G --work W [--ephemeral]
  [--disableupdate] [--replace]`: the token from --token or ACTIONS_RUNNER_INPUT_TOKEN (every
  argument also comes from ACTIONS_RUNNER_INPUT_<NAME>); refuses a folder with .runner; POSTs
  {"url": U, "runner_event": "register"} to the runner-registration endpoint (api.github.com, or
  <origin>/api/v3 for GHES) with `Authorization: RemoteAuth <token>`; a 404 prints the runner's
  own "Http response code: NotFound from 'POST …'" line; otherwise it adds the runner to pool 1
  at the tenant URL it got, and writes .runner (UTF-8 BOM, camelCase), .credentials and
  .credentials_rsaparams (0600), printing the runner's console milestones;
- `config.sh remove`: the same endpoint with "runner_event": "remove" and a remove token; it
  deletes the runner there and then its three registration files;
- run.sh: reads .runner and .credentials, opens a session at the tenant (a deleted registration
  prints the runner's "Failed to create a session…" line), prints "√ Connected to GitHub",
  "Current runner version: '…'" and "<UTC>: Listening for Jobs", and stays until SIGTERM/SIGINT,
  when it deletes its session and exits.
The test's HTTPS stand-in of GitHub signs with a test CA the tarball carries as .standin-ca.pem
(the real runner trusts the system store, which a test must not change).
"""
import datetime
import json
import os
import signal
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

VERSION = '2.329.0'
# The runner folder: this file is its bin/Runner.Standin.py.
HERE = os.path.dirname(os.path.dirname(os.path.abspath(sys.argv[0])))
CONTEXT = ssl.create_default_context(cafile=os.path.join(HERE, '.standin-ca.pem'))


def say(text=''):
    print(text, flush=True)


def call(method, url, body=None, auth=None):
    headers = {'Content-Type': 'application/json', 'User-Agent': 'GitHubActionsRunner-linux-x64/' + VERSION}
    if auth:
        headers['Authorization'] = auth
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10, context=CONTEXT) as answer:
            text = answer.read().decode()
            return answer.status, (json.loads(text) if text else {})
    except urllib.error.HTTPError as e:
        return e.code, {}


def registration_url(url):
    u = urllib.parse.urlsplit(url)
    if u.hostname == 'github.com':
        return 'https://api.github.com/actions/runner-registration'
    return '%s://%s/api/v3/actions/runner-registration' % (u.scheme, u.netloc)


def options(argv):
    flags = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if not a.startswith('--'):
            i += 1
            continue
        name = a[2:]
        if name in ('unattended', 'ephemeral', 'disableupdate', 'replace', 'runasservice'):
            flags[name] = True
            i += 1
        else:
            flags[name] = argv[i + 1] if i + 1 < len(argv) else ''
            i += 2
    return flags


def arg(flags, name):
    return flags.get(name) or os.environ.get('ACTIONS_RUNNER_INPUT_' + name.upper(), '')


def read_json(name):
    with open(os.path.join(HERE, name), encoding='utf-8-sig') as f:
        return json.load(f)


def write(name, value, mode=0o644, bom=False):
    path = os.path.join(HERE, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'w', encoding='utf-8-sig' if bom else 'utf-8') as f:
        json.dump(value, f, indent=2)


def authenticate(url, token, event):
    say('# Authentication')
    say()
    endpoint = registration_url(url)
    code, answer = call('POST', endpoint, {'url': url, 'runner_event': event}, 'RemoteAuth ' + token)
    if code != 200:
        reason = {404: 'NotFound', 401: 'Unauthorized', 403: 'Forbidden'}.get(code, str(code))
        say("Http response code: %s from 'POST %s' (Request Id: 0000:STANDIN)" % (reason, endpoint))
        say('{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}')
        say('Response status code does not indicate success: %d (%s).' % (code, 'Not Found' if code == 404 else reason))
        sys.exit(1)
    say()
    say('\u221a Connected to GitHub')
    say()
    return answer


def configure(argv):
    flags = options(argv)
    if os.path.exists(os.path.join(HERE, '.runner')):
        say("Cannot configure the runner because it is already configured. To reconfigure the runner, run 'config.cmd remove' or './config.sh remove' first.")
        sys.exit(1)
    url, name, token = arg(flags, 'url'), arg(flags, 'name'), arg(flags, 'token')
    if not (flags.get('unattended') and url and name and token):
        say('Invalid configuration provided for url, name or token. Terminating unattended configuration.')
        sys.exit(1)
    tenant = authenticate(url, token, 'register')
    say('# Runner Registration')
    say()
    labels = ['self-hosted', 'Linux', 'X64'] + [l for l in arg(flags, 'labels').split(',') if l]
    code, agent = call(
        'POST',
        tenant['url'].rstrip('/') + '/_apis/distributedtask/pools/1/agents',
        {'name': name, 'labels': [{'name': l, 'type': 'system' if i < 3 else 'user'} for i, l in enumerate(labels)], 'ephemeral': bool(flags.get('ephemeral'))},
        'Bearer ' + tenant['token'],
    )
    if code != 200:
        say('A runner exists with the same name %s.' % name if code == 409 else 'Http response code: %d from POST agents' % code)
        sys.exit(1)
    say('\u221a Runner successfully added')
    say('\u221a Runner connection is good')
    say()
    say('# Runner settings')
    say()
    runner = {
        'agentId': agent['id'],
        'agentName': name,
        'poolId': 1,
        'poolName': 'Default',
        'serverUrl': tenant['url'],
        'gitHubUrl': url,
        'workFolder': arg(flags, 'work') or '_work',
    }
    write('.runner', runner, bom=True)
    write('.credentials', {'scheme': 'OAuth', 'data': {'clientId': agent['clientId'], 'authorizationUrl': tenant['url'] + '_apis/oauth2/token'}})
    write('.credentials_rsaparams', {'d': agent['clientId'], 'standin': True}, mode=0o600)
    say('\u221a Settings Saved.')
    say()


def remove(argv):
    flags = options(argv)
    if not os.path.exists(os.path.join(HERE, '.runner')):
        say('Runner is not configured.')
        return
    runner = read_json('.runner')
    token = arg(flags, 'token')
    if not token:
        say('Invalid configuration provided for token. Terminating unattended configuration.')
        sys.exit(1)
    say('# Runner removal')
    say()
    tenant = authenticate(runner['gitHubUrl'], token, 'remove')
    code, _ = call('DELETE', '%s/_apis/distributedtask/pools/1/agents/%s' % (tenant['url'].rstrip('/'), runner['agentId']), None, 'Bearer ' + tenant['token'])
    if code not in (200, 204):
        say('Http response code: %d from DELETE agents' % code)
        sys.exit(1)
    say('\u221a Runner removed successfully')
    for name in ('.credentials', '.credentials_rsaparams', '.runner'):
        os.remove(os.path.join(HERE, name))
        say('\u221a Removed %s' % name)


def run():
    if not os.path.exists(os.path.join(HERE, '.runner')):
        say('Not configured. Run config.(sh/cmd) to configure the runner.')
        sys.exit(1)
    runner = read_json('.runner')
    credentials = read_json('.credentials')
    sessions = runner['serverUrl'].rstrip('/') + '/_apis/distributedtask/pools/1/sessions'
    code, session = call('POST', sessions, {'agentId': runner['agentId'], 'clientId': credentials['data']['clientId']})
    if code == 404:
        say(
            'Failed to create a session. The runner registration has been deleted from the server, please re-configure. '
            'Runner registrations are automatically deleted for runners that have not connected to the service recently.'
        )
        sys.exit(1)
    if code == 409:
        say('A session for this runner already exists.')
        sys.exit(1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    say()
    say('\u221a Connected to GitHub')
    say()
    say("Current runner version: '%s'" % VERSION)
    say('%s: Listening for Jobs' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%SZ'))
    while not stop:
        time.sleep(0.2)
    call('DELETE', '%s/%s' % (sessions, session['sessionId']))
    say('%s: Runner listener exited' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%SZ'))


def main():
    what, argv = sys.argv[1], sys.argv[2:]
    if what == 'config' and os.getuid() == 0 and not os.environ.get('RUNNER_ALLOW_RUNASROOT'):
        say('Must not run with sudo')
        sys.exit(1)
    if what == 'config':
        remove(argv[1:]) if argv[:1] == ['remove'] else configure(argv)
    else:
        run()


if __name__ == '__main__':
    main()
