"""Reads a supervisord.conf with supervisord's own config reader and prints its programs as JSON.

Usage: /usr/bin/python3 supervisord-config.py CONFIG...   (prints a JSON array, one entry per file)
The user names in the file (appuser) exist only inside the agent image, so user lookup is
replaced by a fixed uid; everything else is supervisord's real parsing, including how it splits
`command=` into argv.
"""
import json
import shlex
import sys

import supervisor.options
from supervisor.options import ServerOptions

supervisor.options.name_to_uid = lambda name: 4242



def read(path):
    opts = ServerOptions()
    opts.configfile = path
    opts.process_config(do_usage=False)
    programs = []
    for group in opts.process_group_configs:
        for p in group.process_configs:
            programs.append({
                'name': p.name,
                'argv': shlex.split(p.command),
                'uid': p.uid,
                'environment': p.environment,
                'autorestart': str(p.autorestart),
                'startsecs': p.startsecs,
                'stopasgroup': p.stopasgroup,
                'killasgroup': p.killasgroup,
            })
    return {'logfile': opts.logfile, 'programs': programs}


print(json.dumps([read(path) for path in sys.argv[1:]]))
