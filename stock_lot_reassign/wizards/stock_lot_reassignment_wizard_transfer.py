# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockLotReassignmentWizardTransfer(models.TransientModel):
    """A move of a transfer (or manufacturing order) that reserves the stock
    being reassigned, or waits for it as the next step of a route, as the
    Review step lists it."""

    _name = "stock.lot.reassignment.wizard.transfer"
    _description = "Lot/Serial Reassignment: Transfer Reserving the Stock"
    _order = "date, id"

    wizard_id = fields.Many2one(
        "stock.lot.reassignment.wizard", required=True, ondelete="cascade", index=True
    )
    move_id = fields.Many2one("stock.move", "Stock Move", readonly=True)
    reference = fields.Char("Transfer", readonly=True)
    picking_type_id = fields.Many2one(
        "stock.picking.type", "Operation Type", readonly=True
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    date = fields.Datetime("Scheduled Date", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id")
    quantity = fields.Float("Reserved", digits="Product Unit of Measure", readonly=True)
    is_started = fields.Boolean(
        "Started",
        readonly=True,
        help="A line is marked picked or put in a package: the reassignment "
        "will not unreserve it.",
    )
    is_chained = fields.Boolean(
        "Next Step",
        readonly=True,
        help="The next step of a route: its previous step brought this stock "
        "without lot/serial number, so Odoo cannot reserve it on lots/serials "
        "by itself. The reassignment reserves it on the new lots/serials, where "
        "the previous step left the stock, even when it is not reserved now.",
    )

    def action_open_document(self):
        """The transfer's (or manufacturing order's) own form."""
        self.ensure_one()
        document = self.move_id._get_source_document()
        return (document or self.move_id).get_formview_action()
