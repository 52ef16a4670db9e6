# Writes what a playbook did as JSON, for a test to read instead of Ansible's prose: every task
# result per host (status, changed, msg) and the recap's numbers. Debian's ansible-core ships no
# JSON callback (ansible.posix.json is a separate collection), so the test brings this one.
# Enabled with ANSIBLE_CALLBACKS_ENABLED=fleet_record; writes to $FLEET_RECORD_PATH at the end.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: fleet_record
    type: aggregate
    short_description: record task results and the recap as JSON for the fleet test
    description: Writes the task results and the recap as one JSON document to the file named by FLEET_RECORD_PATH.
    requirements: [enable in configuration]
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'fleet_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.tasks = []
        self.started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started[task._uuid] = time.time()

    def _record(self, result, status):
        outcome = result._result
        self.tasks.append({
            'host': result._host.get_name(),
            'task': result._task.get_name(),
            'status': status,
            'changed': bool(outcome.get('changed', False)),
            'msg': outcome.get('msg') if isinstance(outcome.get('msg'), str) else None,
            'rc': outcome.get('rc'),
            # Seconds since the task started (for all its hosts): where a slow run spends its time.
            'seconds': round(time.time() - self.started.get(result._task._uuid, time.time()), 2),
        })

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        record = {'tasks': self.tasks, 'stats': dict((host, stats.summarize(host)) for host in hosts)}
        with open(os.environ['FLEET_RECORD_PATH'], 'w') as out:
            json.dump(record, out, indent=2)
