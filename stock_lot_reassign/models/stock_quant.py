# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import float_compare

from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantBase

# Below this many quants, Odoo's own code is as fast.
QUANT_BATCH_MIN_RECORDS = 50
INVENTORY_FIELDS = ("inventory_quantity", "inventory_quantity_auto_apply")


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def action_open_lot_reassign(self):
        """Open the reassignment wizard on the products of these quants."""
        return self.product_id.product_tmpl_id.action_open_lot_reassign()

    @api.model_create_multi
    def create(self, vals_list):
        """Many quants outside the inventory mode in one ``create()``.

        Stock's ``create()`` calls the ORM's once per quant, so that a counted
        quant (inventory mode) can be merged into an existing one; any other
        quant is created as is. Those are given to the ORM at once (one
        ``INSERT``, constraints checked once), as stock's loop would create
        them one by one. Taken only when no other module overrides
        ``create()`` between this module and stock.
        """
        if not self._creates_quants_at_once(vals_list):
            return super().create(vals_list)
        quants = super(StockQuantBase, self).create(vals_list)
        if self._is_inventory_mode():
            quants._check_company()
        return quants

    @api.model
    def _creates_quants_at_once(self, vals_list):
        if len(vals_list) < QUANT_BATCH_MIN_RECORDS:
            return False
        if self._is_inventory_mode() and any(
            field in vals for vals in vals_list for field in INVENTORY_FIELDS
        ):
            return False
        mro = type(self).__mro__
        between = mro[mro.index(StockQuant) + 1 : mro.index(StockQuantBase)]
        return not any("create" in vars(cls) for cls in between)

    @api.constrains("quantity")
    def check_quantity(self):
        """Odoo's check that a serial number is not twice in a location, with
        one query whatever the number of quants.

        Odoo's check reads the quantities with one ``OR`` condition per quant,
        which takes seconds to build and plan for thousands of serial numbers.
        One grouped read on the products, locations and lots involved, kept to
        the places holding more than one unit, finds the same offending places;
        Odoo's check then runs on the quants of those places and raises its own
        error.
        """
        serial_quants = self.filtered(
            lambda q: (
                q.product_id.tracking == "serial"
                and q.location_id.usage != "inventory"
                and q.lot_id
            )
        )
        if len(serial_quants) < QUANT_BATCH_MIN_RECORDS:
            return super().check_quantity()
        places = {
            (quant.product_id, quant.location_id, quant.lot_id)
            for quant in serial_quants
        }
        groups = self._read_group(
            [
                ("product_id", "in", serial_quants.product_id.ids),
                ("location_id", "in", serial_quants.location_id.ids),
                ("lot_id", "in", serial_quants.lot_id.ids),
            ],
            ["product_id", "location_id", "lot_id"],
            ["quantity:sum"],
            having=["|", ("quantity:sum", ">", 1), ("quantity:sum", "<", -1)],
        )
        offending = {
            (product, location, lot)
            for product, location, lot, quantity in groups
            if (product, location, lot) in places
            and float_compare(
                abs(quantity), 1, precision_rounding=product.uom_id.rounding
            )
            > 0
        }
        if offending:
            return super(
                StockQuant,
                serial_quants.filtered(
                    lambda q: (q.product_id, q.location_id, q.lot_id) in offending
                ),
            ).check_quantity()
