# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The models follow one naming rule, stock.lot.reassignment.*: the wizard's
transient models and the abstract ones are new models, the old ones removed.

Odoo 17 cannot drop a removed model's selection values by itself (it looks
the model up in the registry): they are dropped here, so that the update
removes the old models cleanly. Their records are a wizard's state, which
Odoo vacuums anyway; the stored records (stock.lot.reassignment) keep their
names and data.
"""

REMOVED_MODELS = (
    "stock.lot.reassign",
    "stock.lot.reassign.line",
    "stock.lot.reassign.assignment",
    "stock.lot.reassign.import.line",
    "stock.lot.reassign.count.sheet",
    "stock.lot.reassign.procedure",
    "stock.lot.reassign.lock",
)


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM ir_model_fields_selection
         WHERE field_id IN (SELECT id FROM ir_model_fields WHERE model IN %s)
        """,
        [REMOVED_MODELS],
    )
