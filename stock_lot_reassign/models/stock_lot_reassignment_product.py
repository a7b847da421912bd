# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .stock_lot_reassignment_procedure import TRACKING_SELECTION


class StockLotReassignmentProduct(models.Model):
    """The tracking of one product before and after a reassignment."""

    _name = "stock.lot.reassignment.product"
    _description = "Lot/Serial Reassignment: Product Tracking"
    _order = "reassignment_id, id"

    reassignment_id = fields.Many2one(
        "stock.lot.reassignment", required=True, ondelete="cascade", index=True
    )
    product_tmpl_id = fields.Many2one(
        "product.template", "Product", required=True, readonly=True
    )
    tracking_before = fields.Selection(
        TRACKING_SELECTION, "Before", required=True, readonly=True
    )
    tracking_after = fields.Selection(
        TRACKING_SELECTION, "After", required=True, readonly=True
    )
