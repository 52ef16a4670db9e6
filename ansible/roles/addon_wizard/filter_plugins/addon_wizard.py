# The wizard's machine output (contract addon-wizard/v1), read as documents and worded as the
# cause a failed host shows. `plan --json` and `verify --json` print one JSON document (perhaps
# pretty-printed); `run --json` prints one JSON line per event and ends with the RunResult; an
# error under --json is one Error document. Prose on stdout never counts as a document.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

API_VERSION = 'addon-wizard/v1'


def _parse(text):
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def addon_wizard_document(stdout, kind=None):
    """The last JSON object in the output (of that kind, when given): the whole output when it is
    one document, else the last line that is one (the RunResult after the RunEvent lines); {} when
    there is none."""
    text = (stdout or '').strip()
    whole = _parse(text)
    if whole is not None:
        return whole if kind is None or whole.get('kind') == kind else {}
    for line in reversed(text.splitlines()):
        line = line.strip()
        found = _parse(line) if line.startswith('{') else None
        if found is not None and (kind is None or found.get('kind') == kind):
            return found
    return {}


def _hazards(doc):
    pending = [h for h in doc.get('hazards') or [] if not h.get('accepted')]
    if not pending:
        return ''
    listed = '; '.join('%s: %s' % (h.get('id'), h.get('message', '')) for h in pending)
    ids = ', '.join(str(h.get('id')) for h in pending)
    return ' Hazards not accepted: %s. To go ahead regardless, list them in addon_wizard_accept (--accept ID): [%s].' % (
        listed, ids)


def _blocking(doc):
    errors = [f for f in doc.get('findings') or [] if f.get('severity') == 'error']
    return ''.join(' [%s] %s%s' % (f.get('id'), f.get('message', ''), ' (next: %s)' % f['hint'] if f.get('hint') else '')
                   for f in errors)


def _stderr_tail(stderr):
    lines = [line for line in (stderr or '').splitlines() if line.strip()]
    return ' stderr: %s' % ' | '.join(lines[-5:]) if lines else ''


def addon_wizard_cause(doc, rc, command, stderr='', expected=''):
    """One line: what `addon-wizard <command>` said went wrong, from its document; when it printed
    none, which contract point is missing (`expected`) and the end of its stderr."""
    where = 'addon-wizard %s exited %s' % (command, rc)
    if not doc:
        return '%s with no JSON document on stdout (contract %s: %s).%s' % (
            where, API_VERSION, expected or 'every --json output is a document', _stderr_tail(stderr))
    if doc.get('apiVersion') != API_VERSION:
        return '%s with a document that is not %s (apiVersion %r, kind %r): the CLI predates the contract.%s' % (
            where, API_VERSION, doc.get('apiVersion'), doc.get('kind'), _stderr_tail(stderr))
    kind = doc.get('kind')
    if kind == 'Error':
        error = doc.get('error') or {}
        hint = ' Next: %s' % error['hint'] if error.get('hint') else ''
        return '%s: [%s] %s%s' % (where, error.get('id', 'error'), error.get('message', ''), hint)
    if kind == 'RunResult':
        nxt = ' Next: %s' % doc['nextStep'] if doc.get('nextStep') else ''
        return '%s, outcome %s: %s%s%s' % (where, doc.get('outcome'), doc.get('summary', ''), _hazards(doc), nxt)
    if kind == 'Plan':
        state = 'blocked' if doc.get('blocked') else 'not usable'
        return '%s, plan %s: %s%s%s' % (where, state, doc.get('summary', ''), _blocking(doc), _hazards(doc))
    message = doc.get('message') or doc.get('summary') or (doc.get('result') or {}).get('message') or ''
    hint = doc.get('hint') or (doc.get('result') or {}).get('hint') or ''
    return '%s (%s): %s%s' % (where, kind, message, ' Next: %s' % hint if hint else '')


class FilterModule(object):
    def filters(self):
        return {
            'addon_wizard_document': addon_wizard_document,
            'addon_wizard_cause': addon_wizard_cause,
        }
