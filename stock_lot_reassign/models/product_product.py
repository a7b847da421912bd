# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import float_compare


class ProductProduct(models.Model):
    _inherit = "product.product"

    lot_reassign_qty = fields.Float(
        string="Units to Reassign",
        compute="_compute_lot_reassign_qty",
        search="_search_lot_reassign_qty",
        digits="Product Unit of Measure",
        groups="stock.group_stock_manager",
        help="On-hand quantity of this variant, in the internal and transit "
        "locations of the companies you work in, that carries no lot/serial "
        "number, or, tracked by serial numbers, sits in a serial number of more "
        "than one unit.",
    )

    def _compute_lot_reassign_qty(self):
        qty_by_variant = self.env[
            "stock.lot.reassignment.procedure"
        ]._get_qty_to_reassign_by_product(self._origin, self.env.companies)
        for product in self:
            product.lot_reassign_qty = qty_by_variant.get(product._origin.id, 0.0)

    def _search_lot_reassign_qty(self, operator, value):
        """Variants holding this much stock without lot/serial (as the field
        shows it: the companies you work in)."""
        procedure = self.env["stock.lot.reassignment.procedure"]
        return procedure._get_quantity_domain(
            procedure._get_qty_to_reassign_by_product(None, self.env.companies),
            operator,
            value,
        )

    @api.onchange("tracking")
    def _onchange_tracking(self):
        """Odoo's warning, with the words of the case: stock without
        lot/serial, lots that would become serial numbers of more than one
        unit, lots/serials kept by stock no longer tracked; and the wizard
        that does it in one step."""
        res = super()._onchange_tracking()
        if not self.env.user.has_group("stock.group_stock_manager"):
            return res
        odoo_message = ((res or {}).get("warning") or {}).get("message")
        message = self._get_lot_reassignment_warning(odoo_message)
        if not message:
            if odoo_message and self._origin.filtered("id"):
                # the stock has lots/serials that fit: Odoo's words are wrong
                res = dict(res)
                res.pop("warning")
            return res
        hint = _(
            'Or let "Reassign Lots/Serials" (the lot\'s form, the Action menu '
            'of the stock list, the product\'s "Assign Lots/Serials") do it in '
            "one step: it sets this stock to zero, switches the tracking and "
            "puts the same quantities back with the lot/serial numbers you give "
            "(none, without tracking), through two inventory adjustments shown "
            "in the History, which it can reverse."
        )
        warning = (res or {}).get("warning") or {"title": _("Warning!")}
        warning["message"] = message + "\n\n" + hint
        return dict(res or {}, warning=warning)

    def _get_lot_reassignment_warning(self, odoo_message):
        """What the new tracking makes of this stock (``odoo_message``:
        Odoo's words for stock without lot/serial), or nothing to say."""
        procedure = self.env["stock.lot.reassignment.procedure"]
        products = self._origin.filtered("id")
        if not products:
            return False
        tracking = self[:1].tracking
        untracked = procedure._get_untracked_qty_by_product(products)
        lots = procedure._search_lot_quants_of(products)
        if tracking == "none":
            return lots and _(
                "This product's stock carries lot/serial numbers. Without "
                "tracking it keeps them: transfers still reserve and move it lot "
                "by lot. Put it back without lot/serial number by doing an "
                "inventory adjustment."
            )
        if any(untracked.values()):
            return odoo_message
        if tracking == "serial" and any(
            float_compare(
                quantity, 1, precision_rounding=lot.product_id.uom_id.rounding
            )
            > 0
            for lot, quantity in procedure._get_lot_quantities(lots).items()
        ):
            return _(
                "This product's stock sits in lots of more than one unit, which "
                "would become serial numbers of several units: a serial number "
                "is a single unit. Split each lot into serial numbers by doing "
                "an inventory adjustment."
            )
        return False

    def action_open_lot_reassignment_wizard(self):
        """Open the reassignment wizard on the products of these variants."""
        return self.product_tmpl_id.action_open_lot_reassignment_wizard()
