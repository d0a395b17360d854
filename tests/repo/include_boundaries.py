#!/usr/bin/env python3
"""Fails when an #include crosses a forbidden boundary of the layer map (docs/ARCHITECTURE.md).

    include_boundaries.py SOURCE_DIR QTCORE_INCLUDE_DIR

Rules, each for every #include line of every source file under the folder named:
  core/**            never includes ui/ or app/, and Qt headers only from QtCore (no Widgets,
                     Charts or Gui: core links QtCore at most);
  core/train/**      includes no Qt header at all, and nothing of core/ outside core/train;
  core/lifecycle/**  the run life-cycle layer: never core/runs, core/compute, core/sweep or core/live;
  core/compute/**    never core/runs (runs -> compute -> lifecycle -> store, one way);
  core/store/**      never core/live (producers and views sit above the store);
  ui/**              never app/.
Before the real tree it checks a small made-up tree with one breach per rule, so a rule that no
longer catches anything fails the test too."""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCES = ('.h', '.hpp', '.cpp', '.cc', '.c', '.cu', '.cuh')


def qt_header(target):
    return re.match(r'^Q[A-Za-z0-9]*$', target) or target.startswith('Qt')


def breaches(path, quote, target, qtcore):
    """Why including `target` from `path` is forbidden, or None."""
    def under(prefix):
        return path.startswith(prefix)
    project = quote == '"'
    if under('core/train/'):
        if qt_header(target):
            return 'core/train uses no Qt'
        if project and target.startswith('core/') and not target.startswith('core/train/'):
            return 'core/train depends on nothing else of core'
    if under('core/'):
        if project and (target.startswith('ui/') or target.startswith('app/')):
            return 'core never includes ui/ or app/'
        if qt_header(target) and not os.path.exists(os.path.join(qtcore, target.split('/')[-1])):
            return 'core links QtCore only (no Widgets, Charts or Gui)'
    if under('core/lifecycle/') and project:
        for above in ('core/runs/', 'core/compute/', 'core/sweep/', 'core/live/'):
            if target.startswith(above):
                return 'the run life-cycle layer sits below ' + above.rstrip('/')
    if under('core/compute/') and project and target.startswith('core/runs/'):
        return 'compute sits below runs'
    if under('core/store/') and project and target.startswith('core/live/'):
        return 'the store sits below live'
    if under('ui/') and project and target.startswith('app/'):
        return 'ui never includes app/'
    return None


def scan(root, qtcore):
    found = []
    for top in ('core', 'ui'):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith(SOURCES):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                with open(full, encoding='utf-8', errors='replace') as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        why = breaches(rel, m.group(1), m.group(2), qtcore)
                        if why:
                            found.append('%s:%d: %s (%s)' % (rel, number, line.strip(), why))
    return found


def self_check(qtcore):
    """Every rule catches its breach in a made-up tree, and a clean file passes."""
    cases = {
        'core/store/A.cpp': '#include "core/live/MetricFeed.h"',
        'core/lifecycle/B.cpp': '#include "core/runs/Submit.h"',
        'core/lifecycle/C.cpp': '#include "core/compute/LocalTarget.h"',
        'core/compute/D.cpp': '#include "core/runs/Submit.h"',
        'core/train/E.cpp': '#include <QString>',
        'core/train/F.cpp': '#include "core/util/Json.h"',
        'core/runs/G.cpp': '#include "ui/run/LogView.h"',
        'core/live/H.cpp': '#include <QWidget>',
        'ui/run/I.cpp': '#include "app/cli/CommandLine.h"',
    }
    with tempfile.TemporaryDirectory() as tmp:
        for rel, line in cases.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), 'w') as f:
                f.write(line + '\n')
        clean = os.path.join(tmp, 'core/runs/Clean.cpp')
        with open(clean, 'w') as f:
            f.write('#include "core/compute/ComputeTarget.h"\n#include <QString>\n')
        found = scan(tmp, qtcore)
    missed = [rel for rel in cases if not any(hit.startswith(rel + ':') for hit in found)]
    wrong = [hit for hit in found if hit.startswith('core/runs/Clean.cpp')]
    return missed, wrong, len(cases)


def main():
    root, qtcore = sys.argv[1], sys.argv[2]
    if not os.path.exists(os.path.join(qtcore, 'QString')):
        print('FAIL: %s is not the QtCore include folder (no QString there)' % qtcore)
        return 1
    missed, wrong, planted = self_check(qtcore)
    if missed or wrong:
        print('FAIL: the rules themselves are broken; missed: %s; flagged a clean file: %s' % (missed, wrong))
        return 1
    found = scan(root, qtcore)
    for hit in found:
        print(hit)
    if found:
        print('FAIL: %d include(s) cross a forbidden boundary (see docs/ARCHITECTURE.md)' % len(found))
        return 1
    print('include boundaries hold (self-check caught all %d planted breaches)' % planted)
    return 0


if __name__ == '__main__':
    sys.exit(main())
