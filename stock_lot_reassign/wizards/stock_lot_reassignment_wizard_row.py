# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotReassignmentWizardRow(models.TransientModel):
    """A row of an imported count sheet, as read and checked: nothing is
    assigned until every row is valid."""

    _name = "stock.lot.reassignment.wizard.row"
    _description = "Lot/Serial Reassignment: Imported Row"
    _order = "row"

    wizard_id = fields.Many2one(
        "stock.lot.reassignment.wizard", required=True, ondelete="cascade", index=True
    )
    row = fields.Integer(readonly=True)
    line_id = fields.Many2one(
        "stock.lot.reassignment.wizard.line", "Stock", readonly=True
    )
    product_id = fields.Many2one(related="line_id.product_id")
    location_id = fields.Many2one(related="line_id.location_id")
    from_lot_id = fields.Many2one(
        related="line_id.lot_id", string="From Lot/Serial Number"
    )
    lot_name = fields.Char("Lot/Serial Number", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    expiration_date = fields.Datetime(readonly=True)
    error = fields.Text(readonly=True)
    is_valid = fields.Boolean("Valid", readonly=True)

    def _get_assignment_vals(self):
        """The assignment this row makes."""
        self.ensure_one()
        return self.wizard_id._prepare_assignment_vals(
            self.line_id, self.lot_name, self.quantity, self.expiration_date
        )
