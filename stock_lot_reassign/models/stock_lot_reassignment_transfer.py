# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare


class StockLotReassignmentTransfer(models.Model):
    """One move of a transfer (or manufacturing order) that a reassignment
    unreserved and reserved again: what it reserved before, what it
    reserves after, on which lots/serials."""

    _name = "stock.lot.reassignment.transfer"
    _description = "Lot/Serial Reassignment: Transfer Reserved Again"
    _order = "reassignment_id, phase, id"

    reassignment_id = fields.Many2one(
        "stock.lot.reassignment", required=True, ondelete="cascade", index=True
    )
    phase = fields.Selection(
        [("reassign", "Reassignment"), ("reverse", "Reversal")],
        required=True,
        readonly=True,
        default="reassign",
    )
    move_id = fields.Many2one("stock.move", "Stock Move", readonly=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    picking_id = fields.Many2one(related="move_id.picking_id")
    reference = fields.Char(readonly=True, help="The transfer or manufacturing order.")
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id")
    quantity_before = fields.Float(
        "Reserved Before", digits="Product Unit of Measure", readonly=True
    )
    quantity_after = fields.Float(
        "Reserved After", digits="Product Unit of Measure", readonly=True
    )
    is_chained = fields.Boolean(
        "Next Step",
        readonly=True,
        help="The next step of a route, reserved in the place where its previous "
        "step left the stock.",
    )
    lot_names = fields.Char("Lots/Serials Reserved", readonly=True)
    is_short = fields.Boolean(
        "Not in Full", compute="_compute_is_short", store=True, readonly=True
    )

    @api.depends("quantity_before", "quantity_after")
    def _compute_is_short(self):
        for line in self:
            line.is_short = (
                float_compare(
                    line.quantity_after,
                    line.quantity_before,
                    precision_rounding=line.product_id.uom_id.rounding or 0.01,
                )
                < 0
            )

    def action_open_document(self):
        """The transfer's (or manufacturing order's) own form."""
        self.ensure_one()
        document = self.move_id._get_source_document()
        return (document or self.move_id).get_formview_action()
