# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What went through the ORM: a record of the overridden calls.

``CALLS[(model, method)]`` counts the records of the calls (created or
written); ``IDS[(model, method)]`` lists their ids, in call order. Process-wide:
a test calls ``reset()`` first, then reads ``snapshot()``.
"""

import collections

CALLS = collections.Counter()
IDS = collections.defaultdict(list)


def record(model, method, records):
    CALLS[(model, method)] += len(records)
    IDS[(model, method)].extend(records.ids)


def reset():
    CALLS.clear()
    IDS.clear()


def snapshot():
    """A copy of what was recorded since ``reset()``.

    :return: ``{"calls": {(model, method): number of records},
        "created": {model: ids}, "written": {model: ids}}``
    """
    ids = {"create": {}, "write": {}}
    for (model, method), record_ids in IDS.items():
        ids[method][model] = list(record_ids)
    return {"calls": dict(CALLS), "created": ids["create"], "written": ids["write"]}
