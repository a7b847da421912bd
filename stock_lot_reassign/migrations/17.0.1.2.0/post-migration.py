# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The tables of the wizard's old transient models, which Odoo leaves behind
when it removes the models (their rows were a wizard's state)."""

from odoo.tools import SQL

OLD_TABLES = (
    "stock_lot_reassign_import_line",
    "stock_lot_reassign_assignment",
    "stock_lot_reassign_line",
    "product_template_stock_lot_reassign_rel",
    "stock_lot_reassign",
)


def migrate(cr, version):
    for table in OLD_TABLES:
        cr.execute(SQL("DROP TABLE IF EXISTS %s CASCADE", SQL.identifier(table)))
    cr.execute(
        "DELETE FROM ir_model_relation WHERE name = %s",
        ["product_template_stock_lot_reassign_rel"],
    )
