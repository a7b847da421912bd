# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The background jobs (stock.lot.reassign.job) become reassignment records.

Odoo 17 cannot drop a removed model's selection values by itself (it looks
the model up in the registry): they are dropped here, with the model's
fields, so that the update removes the model cleanly. The jobs' table is kept
for the post-migration, which turns each job into a stock.lot.reassignment.
"""


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM ir_model_fields_selection
         WHERE field_id IN (
             SELECT id FROM ir_model_fields WHERE model = 'stock.lot.reassign.job'
         )
        """
    )
