# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotReassignmentLine(models.Model):
    """One place of a reassignment and the lot it carried (none: the stock
    without lot/serial): what was removed there, and what was put back with
    the new lots/serials (or without, when tracking was removed)."""

    _name = "stock.lot.reassignment.line"
    _description = "Lot/Serial Reassignment: Place"
    _order = "reassignment_id, product_id, location_id, id"

    reassignment_id = fields.Many2one(
        "stock.lot.reassignment", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    location_id = fields.Many2one("stock.location", required=True, readonly=True)
    package_id = fields.Many2one("stock.quant.package", readonly=True)
    owner_id = fields.Many2one("res.partner", readonly=True)
    lot_before_id = fields.Many2one(
        "stock.lot",
        "Lot/Serial Before",
        readonly=True,
        help="The lot/serial number this stock carried before; empty: none.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id")
    quantity_removed = fields.Float(
        "Removed", digits="Product Unit of Measure", readonly=True
    )
    quantity_restored = fields.Float(
        "Restored", digits="Product Unit of Measure", readonly=True
    )
    removal_move_ids = fields.Many2many(
        "stock.move",
        "stock_lot_reassignment_line_removal_move_rel",
        string="Removal",
        readonly=True,
    )
    restore_move_id = fields.Many2one("stock.move", "Restore", readonly=True)
    restore_move_line_ids = fields.One2many(
        related="restore_move_id.move_line_ids", string="Lots/Serials Restored"
    )
    lot_names = fields.Char("Lots/Serials", compute="_compute_lot_names")

    @api.depends("restore_move_id.move_line_ids.lot_id")
    def _compute_lot_names(self):
        for line in self:
            names = line.restore_move_id.move_line_ids.lot_id.mapped("name")
            shown = ", ".join(names[:5])
            if len(names) > 5:
                shown += f", … ({len(names)})"
            line.lot_names = shown
