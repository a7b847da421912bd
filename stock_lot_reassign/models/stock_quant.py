# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import float_compare

from odoo.addons.stock.models.stock_quant import StockQuant as StockQuantBase

from .stock_quant_sync import QuantSync, Removal, is_only_overridden_here

INVENTORY_FIELDS = ("inventory_quantity", "inventory_quantity_auto_apply")


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def action_open_lot_reassignment_wizard(self):
        """Open the reassignment wizard on the products of these quants,
        their lots/serials ticked to reassign."""
        return self.product_id.product_tmpl_id._open_lot_reassignment_wizard(
            lots=self.lot_id
        )

    @api.model
    def _update_available_quantity(self, product_id, location_id, *args, **kwargs):
        """Odoo's, once any reassignment of this product ended: every change
        of quants (reserving, unreserving, validating, counting, scrapping,
        producing) goes through here."""
        self.env["stock.lot.reassignment.lock"]._acquire_shared(product_id)
        return super()._update_available_quantity(
            product_id, location_id, *args, **kwargs
        )

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        """Odoo's; the reservation ``stock.move.line.create`` makes of a
        line of the removal's own inventory moves is held back for the
        replay of that line's ``_action_done``, which makes it, then releases
        it, as Odoo's loop does (``stock_quant_sync.Removal``), while no
        other module overrides the methods it stands for. Every other call
        runs stock's code."""
        removal = Removal.get_running()
        if (
            removal is not None
            and strict
            and removal.can_defer(
                product_id,
                location_id,
                quantity,
                lot_id,
                package_id or self.env["stock.quant.package"],
                owner_id or self.env["res.partner"],
            )
            # super() is skipped: none below this module's override; and
            # stock's _update_available_quantity is not called: none at all
            and is_only_overridden_here(
                type(self),
                StockQuantBase,
                "_update_reserved_quantity",
                below=StockQuant,
            )
            and is_only_overridden_here(
                type(self), StockQuantBase, "_update_available_quantity"
            )
        ):
            removal.defer(
                product_id,
                location_id,
                quantity,
                package_id or self.env["stock.quant.package"],
                owner_id or self.env["res.partner"],
            )
            return None
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    @api.model_create_multi
    def create(self, vals_list):
        """The quants a reassignment's replay creates, in one ``create()``.

        Stock's ``create()`` calls the ORM's once per quant, so that a counted
        quant (inventory mode) can be merged into an existing one; any other
        quant is created as is. The replay's quants (``QuantSync``, handed
        over as the very list it built) are given to the ORM at once (one
        ``INSERT``, constraints checked once), while no other module
        overrides ``create()`` between this module and stock. Every other
        caller runs stock's code.
        """
        if not self._creates_replayed_quants(vals_list):
            return super().create(vals_list)
        quants = super(StockQuantBase, self).create(vals_list)
        if self._is_inventory_mode():
            quants._check_company()
        return quants

    @api.model
    def _creates_replayed_quants(self, vals_list):
        replay = QuantSync.get_running()
        return (
            replay is not None
            and replay.is_creating(vals_list)
            and not any(
                field in vals for vals in vals_list for field in INVENTORY_FIELDS
            )
            and is_only_overridden_here(
                type(self), StockQuantBase, "create", below=StockQuant
            )
        )

    @api.constrains("quantity")
    def check_quantity(self):
        """Odoo's check that a serial number is not twice in a location, for
        the quants a reassignment's replay writes, in one query.

        Odoo's check reads the quantities with one ``OR`` condition per quant,
        which takes seconds to build and plan for thousands of serial numbers.
        One grouped read on the products, locations and lots involved, kept to
        the places holding more than one unit, finds the same offending places;
        Odoo's check then runs on the quants of those places and raises its own
        error. Quants of any other caller are checked by Odoo's code.
        """
        replay = QuantSync.get_running()
        if (
            replay is None
            or not replay.is_writing(self)
            or not is_only_overridden_here(
                type(self), StockQuantBase, "check_quantity", below=StockQuant
            )
        ):
            return super().check_quantity()
        serial_quants = self.filtered(
            lambda q: (
                q.product_id.tracking == "serial"
                and q.location_id.usage != "inventory"
                and q.lot_id
            )
        )
        if not serial_quants:
            return
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
