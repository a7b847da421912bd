# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotReassignmentWizardAssignment(models.TransientModel):
    _name = "stock.lot.reassignment.wizard.assignment"
    _description = "Lot/Serial Reassignment: Lot/Serial Number and Quantity"
    _order = "line_id, id"

    wizard_id = fields.Many2one(
        "stock.lot.reassignment.wizard", required=True, ondelete="cascade", index=True
    )
    line_id = fields.Many2one(
        "stock.lot.reassignment.wizard.line",
        "Stock",
        required=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(related="line_id.product_id")
    from_lot_id = fields.Many2one(
        related="line_id.lot_id", string="From Lot/Serial Number"
    )
    lot_name = fields.Char("Lot/Serial Number")
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    expiration_date = fields.Datetime(
        help="With the Product Expiry app: the date printed on the goods. The "
        "new lot gets it, and Odoo computes its best before, removal and alert "
        "dates from it; empty: Odoo's date from the product, as for any new lot.",
    )

    def _get_reassign_lots_vals(self):
        """This assignment as reassign_lots takes it."""
        self.ensure_one()
        place = self.env["stock.lot.reassignment.procedure"]._get_place(self.line_id)
        vals = {f"{name}_id": record.id for name, record in place._asdict().items()}
        if self.from_lot_id:
            vals["from_lot_id"] = self.from_lot_id.id
        vals.update(lot_name=self.lot_name or False, quantity=self.quantity)
        if self.expiration_date:
            vals["expiration_date"] = fields.Datetime.to_string(self.expiration_date)
        return vals
