# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The background threshold, in seconds now, not assignment lines.

The old parameter ``stock_lot_reassign.background_threshold`` counted
assignment lines (5,000 by default). Its record (``background_threshold``,
noupdate) takes the new key, ``stock_lot_reassign.background_seconds``: the
default becomes the new default (30 s); a threshold an administrator set is
turned into the seconds that many serial numbers take (3 ms each, the rate
the benchmark measured), at least 1.
"""

OLD_KEY = "stock_lot_reassign.background_threshold"
NEW_KEY = "stock_lot_reassign.background_seconds"
OLD_DEFAULT = 5000
NEW_DEFAULT = 30
SECONDS_PER_LINE = 0.003


def _to_seconds(lines):
    try:
        lines = int(lines)
    except (TypeError, ValueError):
        return NEW_DEFAULT
    if lines == OLD_DEFAULT:
        return NEW_DEFAULT
    return max(1, round(lines * SECONDS_PER_LINE))


def migrate(cr, version):
    cr.execute("SELECT id, value FROM ir_config_parameter WHERE key = %s", [OLD_KEY])
    row = cr.fetchone()
    if not row:
        return
    param_id, value = row
    cr.execute("SELECT 1 FROM ir_config_parameter WHERE key = %s", [NEW_KEY])
    if cr.fetchone():
        cr.execute("DELETE FROM ir_config_parameter WHERE id = %s", [param_id])
        return
    cr.execute(
        "UPDATE ir_config_parameter SET key = %s, value = %s WHERE id = %s",
        [NEW_KEY, str(_to_seconds(value)), param_id],
    )
