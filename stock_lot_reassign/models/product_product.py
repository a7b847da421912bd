# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    lot_reassign_qty = fields.Float(
        string="Units without Lot/Serial",
        compute="_compute_lot_reassign_qty",
        search="_search_lot_reassign_qty",
        digits="Product Unit of Measure",
        groups="stock.group_stock_manager",
        help="On-hand quantity of this variant, in the internal and transit "
        "locations of the companies you work in, that carries no lot/serial number.",
    )

    def _compute_lot_reassign_qty(self):
        qty_by_variant = self.env[
            "stock.lot.reassignment.procedure"
        ]._get_untracked_qty_by_product(self._origin, self.env.companies)
        for product in self:
            product.lot_reassign_qty = qty_by_variant.get(product._origin.id, 0.0)

    def _search_lot_reassign_qty(self, operator, value):
        """Variants holding this much stock without lot/serial (as the field
        shows it: the companies you work in)."""
        procedure = self.env["stock.lot.reassignment.procedure"]
        return procedure._get_quantity_domain(
            procedure._get_untracked_qty_by_product(None, self.env.companies),
            operator,
            value,
        )

    @api.onchange("tracking")
    def _onchange_tracking(self):
        res = super()._onchange_tracking()
        if (
            res
            and res.get("warning")
            and self.env.user.has_group("stock.group_stock_manager")
        ):
            res["warning"]["message"] += "\n\n" + _(
                'Or let the "Assign Lots/Serials" button of the product do it in '
                "one step: it sets this stock to zero, switches the tracking and "
                "puts the same quantities back with the lot/serial numbers you "
                "give, through two inventory adjustments shown in the History."
            )
        return res

    def action_open_lot_reassignment_wizard(self):
        """Open the reassignment wizard on the products of these variants."""
        return self.product_tmpl_id.action_open_lot_reassignment_wizard()
